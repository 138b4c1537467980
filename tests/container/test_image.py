"""The image built from ci/Dockerfile, run with podman as a CI user runs it (ci/container_test.sh builds it).

Each test starts its own containers (published on 127.0.0.1 only, on free ports) and removes them.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request
import uuid

from botocore.exceptions import ClientError

from podman_tools import (BASE_IMAGE, IMAGE, LABEL, REPO, Container, build_command, free_port, image_id, kinesis,
                          parse_podman_time, podman)

DOCKERFILE = os.path.join(REPO, 'ci', 'Dockerfile')
SIZE_LIMIT = 100 * 1000 * 1000


def stages():
    """(build stage text, runtime stage text) of ci/Dockerfile."""
    with open(DOCKERFILE) as f:
        text = f.read()
    parts = re.split(r'^FROM ', text, flags=re.M)
    return parts[1], parts[2]


def apt_packages(stage):
    """The packages an `apt-get install` of the stage names."""
    joined = stage.replace('\\\n', ' ')
    m = re.search(r'apt-get install ([^&]+)', joined)
    return [w for w in m.group(1).split() if not w.startswith('-')]


def put_and_read(endpoint, stream, verify=None):
    """Puts one record and returns (sequence number, data read back from TRIM_HORIZON)."""
    client = kinesis(endpoint, verify)
    seq = client.put_record(StreamName=stream, PartitionKey='k', Data=b'kept')['SequenceNumber']
    return seq, read_all(endpoint, stream, verify)


def read_all(endpoint, stream, verify=None):
    client = kinesis(endpoint, verify)
    shard = client.list_shards(StreamName=stream)['Shards'][0]['ShardId']
    it = client.get_shard_iterator(StreamName=stream, ShardId=shard, ShardIteratorType='TRIM_HORIZON')
    return [(r['SequenceNumber'], r['Data']) for r in client.get_records(ShardIterator=it['ShardIterator'])['Records']]


class ImageContents(unittest.TestCase):
    """What is in the image: size, user, packages, no leftovers."""

    def test_image_size_is_under_100_mb(self):
        size = int(podman('image', 'inspect', '--format', '{{.Size}}', IMAGE).stdout)
        print('\n    image size: %.1f MB (%s on %s)' % (size / 1e6, IMAGE, BASE_IMAGE), end=' ')
        self.assertLess(size, SIZE_LIMIT)

    def test_runs_as_user_and_group_10001(self):
        self.assertEqual(podman('image', 'inspect', '--format', '{{.Config.User}}', IMAGE).stdout.strip(),
                         '10001:10001')
        c = Container(self)
        c.ready()
        self.assertEqual(c.exec('id').stdout.strip(), 'uid=10001(kinesis) gid=10001(kinesis) groups=10001(kinesis)')
        status = c.exec('cat', '/proc/1/status').stdout  # the emulator itself, PID 1
        self.assertRegex(status, r'\nUid:\s+10001\s+10001\s+10001\s+10001\n')
        self.assertRegex(status, r'\nGid:\s+10001\s+10001\s+10001\s+10001\n')
        self.assertEqual(c.exec('cat', '/proc/1/comm').stdout.strip(), 'kinesis-emulato')
        self.assertEqual(c.exec('getent', 'group', 'kinesis').stdout.strip(), 'kinesis:x:10001:')
        self.assertRegex(c.exec('getent', 'passwd', 'kinesis').stdout, r'^kinesis:x:10001:10001:')
        self.assertEqual(c.exec('stat', '-c', '%u:%g', '/data').stdout.strip(), '10001:10001')

    def test_runtime_stage_leaves_no_apt_lists_caches_or_build_tools(self):
        out = podman('run', '--rm', '--label', LABEL, '--entrypoint', '/bin/sh', IMAGE, '-c',
                     'find /var/lib/apt/lists /var/cache/apt -mindepth 1 | head; '
                     'for t in gcc g++ cc make cmake ccache pkg-config; do command -v $t; done; '
                     "dpkg-query -W -f='${Package}\\n' | grep -- '-dev$'; true").stdout
        self.assertEqual(out.strip(), '')

    def test_every_package_is_one_the_binary_uses(self):
        build, runtime = stages()
        build_pkgs, runtime_pkgs = apt_packages(build), apt_packages(runtime)
        # The build stage: tools, and for each library its -dev package, whose runtime package the runtime stage
        # installs; nlohmann-json is header-only. Anything else (build-essential, zlib1g-dev, libbrotli-dev,
        # libcpp-httplib-dev, ...) does not go into the binary.
        tools = {'g++', 'make', 'cmake', 'pkg-config', 'ccache', 'nlohmann-json3-dev'}
        for p in build_pkgs:
            if p in tools:
                continue
            self.assertTrue(p.startswith('lib') and p.endswith('-dev'), 'build stage installs %s' % p)
            stem = p[:-len('-dev')]
            self.assertTrue(any(r.startswith(stem) for r in runtime_pkgs),
                            '%s has no runtime package in the runtime stage %s' % (p, runtime_pkgs))
        # The runtime stage: each package provides a library the binary links (RE2 is there ahead of its use).
        c = Container(self, port=None, entrypoint='/bin/sh', args=['-c', 'sleep 60'])
        needed = self.needed_libraries(c)
        owners = {}
        for lib in needed:
            path = c.exec('sh', '-c', 'for d in /lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu /lib /usr/lib '
                          '/lib64 /usr/lib/*-linux-gnu; do [ -e $d/%s ] && readlink -f $d/%s && break; done' %
                          (lib, lib)).stdout.strip()
            self.assertTrue(path, 'the image lacks %s, which the binary links' % lib)
            owner = c.exec('dpkg', '-S', path, check=False).stdout.split(':')[0]
            if not owner:  # merged /usr: dpkg knows the /lib path
                owner = c.exec('dpkg', '-S', path.replace('/usr/lib/', '/lib/'), check=False).stdout.split(':')[0]
            owners[lib] = owner
        pending = {'libre2-9'}  # in the image before the binary links it (the RE2 pattern checks)
        for p in runtime_pkgs:
            if p in owners.values():
                continue
            self.assertIn(p, pending, 'the runtime stage installs %s, which the binary does not link (%s)' %
                          (p, owners))
            print('\n    %s: installed, not linked yet' % p, end=' ')

    def needed_libraries(self, c):
        """The binary's DT_NEEDED entries, read from the ELF file copied out of the container."""
        tmp = tempfile.mkdtemp(prefix='kemu-elf-')
        self.addCleanup(shutil.rmtree, tmp, True)
        podman('cp', '%s:/usr/local/bin/kinesis-emulator' % c.id, tmp)
        out = subprocess.run(['readelf', '-d', os.path.join(tmp, 'kinesis-emulator')], capture_output=True,
                             text=True, check=True).stdout
        libs = re.findall(r'\(NEEDED\)\s+Shared library: \[([^\]]+)\]', out)
        self.assertIn('libsqlite3.so.0', libs)
        return libs


class BuildContext(unittest.TestCase):
    """.dockerignore and the Dockerfile's COPY lines: what reaches the build, and what a change there costs."""

    def setUp(self):
        # Things a working copy has that must stay out: a build folder, node_modules, Python caches.
        self.probes = [os.path.join(REPO, 'build-kemu-context-probe'),
                       os.path.join(REPO, 'tests', 'container', 'node_modules'),
                       os.path.join(REPO, 'tests', 'container', '__pycache__', 'kemu-probe')]
        for p in self.probes:
            os.makedirs(p, exist_ok=True)
            with open(os.path.join(p, 'marker'), 'w') as f:
                f.write(str(uuid.uuid4()))
            self.addCleanup(shutil.rmtree, p, True)

    def test_context_has_the_sources_and_nothing_git_or_build(self):
        probe_dir = tempfile.mkdtemp(prefix='kemu-context-')
        self.addCleanup(shutil.rmtree, probe_dir, True)
        dockerfile = os.path.join(probe_dir, 'Dockerfile')
        with open(dockerfile, 'w') as f:
            f.write('FROM %s\nCOPY . /ctx\nRUN cd /ctx && find . -maxdepth 3 | sort\n' % BASE_IMAGE)
        tag = 'localhost/kemu-context-probe:%s' % uuid.uuid4().hex[:8]
        # The repository's .dockerignore applies to its context whichever Dockerfile builds it.
        out = podman('build', '--pull=never', '--layers=false', '--label', LABEL, '-f', dockerfile, '-t', tag,
                     REPO, timeout=300).stdout
        podman('rmi', '-f', tag, check=False)
        listed = set(l.strip() for l in out.splitlines() if l.startswith('./'))
        for needed in ('./CMakeLists.txt', './emulator/src', './plugins', './ci/healthcheck.sh', './cmake'):
            self.assertIn(needed, listed)
        leaked = sorted(l for l in listed if re.search(r'(^\./\.git|^\./build|node_modules|__pycache__)', l))
        self.assertEqual(leaked, [])

    def test_changes_outside_the_binary_sources_keep_the_cached_image(self):
        # Probes in ignored folders (setUp) and a new file in docs/ (in the context, not copied): the build is
        # answered from the layer cache, so the image is the very same.
        doc = os.path.join(REPO, 'docs', 'kemu-context-probe-%s.md' % uuid.uuid4().hex[:8])
        with open(doc, 'w') as f:
            f.write('probe\n')
        self.addCleanup(os.remove, doc)
        tag = 'localhost/kemu-rebuild-probe:%s' % uuid.uuid4().hex[:8]
        started = time.monotonic()
        out = podman(*build_command(tag), timeout=900)
        took = time.monotonic() - started
        try:
            self.assertEqual(image_id(tag), image_id(IMAGE), out.stdout[-3000:])
        finally:
            podman('untag', tag, tag, check=False)  # this name only: without one, untag removes every name
        print('\n    cached rebuild: %.1f s' % took, end=' ')


class StartAndHealth(unittest.TestCase):
    def test_ready_and_healthy_within_a_second_of_start(self):
        c = Container(self, create_only=True)
        started = time.monotonic()
        c.start()
        line, url = c.ready()
        first = c.health()
        wall = time.monotonic() - started
        self.assertEqual(url, 'http://0.0.0.0:4567')
        self.assertEqual(line, 'kinesis-emulator ready on http://0.0.0.0:4567')  # the text form, unchanged
        self.assertEqual(first, 0, 'not healthy at the first check after the ready line')
        self.assertEqual(c.health_status(), 'healthy')
        # Measured inside: from the container's start (podman's StartedAt) to the ready line's log timestamp.
        start_at = parse_podman_time(c.inspect('{{.State.StartedAt}}'))
        out, _ = c.logs(timestamps=True)
        ready_at = parse_podman_time([l for l in out if 'ready on' in l][0].split(' ')[0])
        print('\n    start to ready line: %.3f s; podman start to healthy (podman CLI included): %.2f s'
              % (ready_at - start_at, wall), end=' ')
        self.assertLess(ready_at - start_at, 1.0)

    def test_aws_cli_and_boto3(self):
        c = Container(self)
        c.ready()
        endpoint = c.endpoint()
        env = dict(os.environ, AWS_ACCESS_KEY_ID='AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY='secret',
                   AWS_DEFAULT_REGION='us-east-1')
        aws = lambda *a: subprocess.run(['aws', '--endpoint-url', endpoint, 'kinesis'] + list(a), env=env,
                                        capture_output=True, text=True, timeout=60)
        done = aws('create-stream', '--stream-name', 'cli', '--shard-count', '2')
        self.assertEqual(done.returncode, 0, done.stderr)
        # --data is base64 for the AWS CLI v2 and taken as it is by v1.
        v1 = subprocess.run(['aws', '--version'], capture_output=True, text=True).stdout.startswith('aws-cli/1.')
        data = 'hello' if v1 else 'aGVsbG8='
        done = aws('put-record', '--stream-name', 'cli', '--partition-key', 'k', '--data', data)
        self.assertEqual(done.returncode, 0, done.stderr)
        seq = json.loads(done.stdout)['SequenceNumber']
        done = aws('describe-stream-summary', '--stream-name', 'cli')
        self.assertEqual(json.loads(done.stdout)['StreamDescriptionSummary']['OpenShardCount'], 2)
        # boto3 reads what the CLI wrote.
        client = kinesis(endpoint)
        self.assertEqual(client.list_streams()['StreamNames'], ['cli'])
        found = []
        for shard in client.list_shards(StreamName='cli')['Shards']:
            it = client.get_shard_iterator(StreamName='cli', ShardId=shard['ShardId'],
                                           ShardIteratorType='TRIM_HORIZON')['ShardIterator']
            found += [(r['SequenceNumber'], r['Data']) for r in client.get_records(ShardIterator=it)['Records']]
        self.assertEqual(found, [(seq, b'hello')])

    def test_configuration_only_through_variables(self):
        c = Container(self, env={'KINESIS_EMULATOR_CREATE_STREAMS': 'orders:2,events',
                                 'KINESIS_EMULATOR_LOG_FORMAT': 'json', 'KINESIS_EMULATOR_LOG_LEVEL': 'debug',
                                 'KINESIS_EMULATOR_REGION': 'eu-west-1'})
        line, _ = c.ready()
        self.assertEqual(json.loads(line)['event'], 'ready')
        eu = kinesis(c.endpoint(), region='eu-west-1')
        self.assertEqual(kinesis(c.endpoint()).list_streams()['StreamNames'], [])  # created in eu-west-1 only
        self.assertEqual(eu.list_streams()['StreamNames'], ['events', 'orders'])
        self.assertEqual(len(eu.list_shards(StreamName='orders')['Shards']), 2)
        self.assertEqual(c.stop(), 0)
        out, err = c.logs()
        lines = out + err
        self.assertGreaterEqual(len(lines), 4)
        entries = [json.loads(l) for l in lines]  # every line the container printed is a JSON object
        self.assertTrue(any('ListShards' in e['message'] for e in entries), entries)  # debug logs each call
        self.assertTrue(any('SIGTERM' in e['message'] for e in entries))

    def test_tls_through_the_variable(self):
        c = Container(self, env={'KINESIS_EMULATOR_TLS': '1', 'KINESIS_EMULATOR_LOG_FORMAT': 'json',
                                 'KINESIS_EMULATOR_CREATE_STREAMS': 'secure'})
        line, url = c.ready()
        self.assertTrue(url.startswith('https://0.0.0.0:'))
        out, _ = c.logs()
        events = [json.loads(l) for l in out]
        self.assertEqual([e['event'] for e in events], ['tls_certificate', 'tls_key', 'ready'])
        # The self-signed certificate names localhost and 127.0.0.1: verify against it, copied out of the container.
        tmp = tempfile.mkdtemp(prefix='kemu-cert-')
        self.addCleanup(shutil.rmtree, tmp, True)
        podman('cp', '%s:%s' % (c.id, events[0]['path']), os.path.join(tmp, 'cert.pem'))
        seq, records = put_and_read(c.endpoint('https'), 'secure', verify=os.path.join(tmp, 'cert.pem'))
        self.assertEqual(records, [(seq, b'kept')])
        self.assertEqual(c.health(), 0)
        self.assertEqual(c.exec('cat', '/tmp/kinesis-emulator.ready').stdout.strip(), 'https://127.0.0.1:4567')

    def test_admin_token_through_the_variable(self):
        c = Container(self, env={'KINESIS_EMULATOR_ADMIN_TOKEN': 's3cret'})
        c.ready()
        base = c.endpoint() + '/_emulator/'

        def get(path, token=None):
            req = urllib.request.Request(base + path)
            if token:
                req.add_header('Authorization', 'Bearer ' + token)
            try:
                with urllib.request.urlopen(req, timeout=10) as r:
                    return r.status
            except urllib.error.HTTPError as e:
                return e.code

        self.assertEqual(get('faults'), 401)
        self.assertEqual(get('faults', 'wrong'), 401)
        self.assertEqual(get('faults', 's3cret'), 200)
        self.assertEqual(get('health'), 200)  # health needs no token, so the health check passes
        self.assertEqual(c.health(), 0)


class HealthCheckVerdicts(unittest.TestCase):
    """The image's HEALTHCHECK (podman healthcheck run), wherever the server listens, and when it does not."""

    def test_healthy_on_a_port_given_as_argument(self):
        c = Container(self, args=['--port', '4600'], port=4600)
        _, url = c.ready()
        self.assertEqual(url, 'http://0.0.0.0:4600')
        self.assertEqual(c.health(), 0)
        self.assertEqual(kinesis(c.endpoint()).list_streams()['StreamNames'], [])

    def test_healthy_on_port_0(self):
        c = Container(self, env={'KINESIS_EMULATOR_PORT': '0'}, port=None)
        _, url = c.ready()
        self.assertNotEqual(url.rsplit(':', 1)[1], '0')
        self.assertEqual(c.health(), 0)

    def test_healthy_on_one_specific_address_under_host_networking(self):
        c = Container(self, network='host', env={'KINESIS_EMULATOR_HOST': '127.0.0.2', 'KINESIS_EMULATOR_PORT': '0'})
        _, url = c.ready()
        self.assertTrue(url.startswith('http://127.0.0.2:'), url)
        self.assertEqual(c.health(), 0)
        self.assertEqual(kinesis(url).list_streams()['StreamNames'], [])  # the host reaches it there

    def test_healthy_on_tls_on_another_port(self):
        c = Container(self, env={'KINESIS_EMULATOR_TLS': 'true'}, args=['--port', '4443'], port=4443)
        _, url = c.ready()
        self.assertEqual(url, 'https://0.0.0.0:4443')
        self.assertEqual(c.health(), 0)

    def test_unhealthy_when_no_server_listens(self):
        # The image's environment without the emulator: no ready file, then a stale one (a killed process's).
        c = Container(self, port=None, entrypoint='/bin/sh', args=['-c', 'sleep 60'])
        self.assertEqual(c.health(), 1)
        c.exec('sh', '-c', 'echo http://127.0.0.1:4567 > /tmp/kinesis-emulator.ready')
        self.assertEqual(c.health(), 1)

    def test_unhealthy_once_the_server_stopped(self):
        # The emulator as a child of a shell, so that the container outlives it.
        c = Container(self, entrypoint='/bin/bash', args=[
            '-c', 'kinesis-emulator & echo $! > /tmp/emulator.pid; wait; sleep 60'])
        c.ready()
        self.assertEqual(c.health(), 0)
        c.exec('sh', '-c', 'kill -TERM $(cat /tmp/emulator.pid)')
        deadline = time.monotonic() + 10
        while c.exec('sh', '-c', 'kill -0 $(cat /tmp/emulator.pid) 2>/dev/null && echo alive',
                     check=False).stdout.strip() == 'alive':
            self.assertLess(time.monotonic(), deadline, 'the emulator did not stop on SIGTERM')
            time.sleep(0.05)
        self.assertEqual(c.health(), 1)


class Lifecycle(unittest.TestCase):
    def test_sigterm_exits_0_within_a_second(self):
        c = Container(self, env={'KINESIS_EMULATOR_LOG_FORMAT': 'json'})
        c.ready()
        # `podman stop -t 1` sends SIGKILL after one second, which would end it with 137: 0 means it left in time.
        started = time.monotonic()
        code = c.stop(seconds=1)
        took = time.monotonic() - started
        self.assertEqual(code, 0)
        _, err = c.logs()
        self.assertIn('received SIGTERM, shutting down', [json.loads(l)['message'] for l in err])
        print('\n    podman stop: %.2f s' % took, end=' ')

    def test_a_record_survives_a_restart_on_a_named_volume(self):
        volume = 'kemu-test-%s' % uuid.uuid4().hex[:8]
        podman('volume', 'create', '--label', LABEL, volume)
        self.addCleanup(podman, 'volume', 'rm', '-f', volume, check=False)
        self.assert_record_survives(['%s:/data' % volume])

    @unittest.skipUnless(os.geteuid() == 0, 'a bind mount for uid 10001 needs root (rootless podman maps uids)')
    def test_a_record_survives_a_restart_on_a_bind_mount_owned_by_10001(self):
        data = tempfile.mkdtemp(prefix='kemu-bind-')
        self.addCleanup(shutil.rmtree, data, True)
        os.chown(data, 10001, 10001)
        self.assert_record_survives(['%s:/data' % data])
        self.assertEqual(os.stat(os.path.join(data, 'kinesis.db')).st_uid, 10001)

    def assert_record_survives(self, volumes):
        env = {'KINESIS_EMULATOR_DATA': '/data/kinesis.db', 'KINESIS_EMULATOR_CREATE_STREAMS': 'kept'}
        first = Container(self, env=env, volumes=volumes)
        first.ready()
        seq, records = put_and_read(first.endpoint(), 'kept')
        self.assertEqual(records, [(seq, b'kept')])
        self.assertEqual(first.stop(), 0)
        first.remove()
        second = Container(self, env=env, volumes=volumes)  # a new container on the same data
        second.ready()
        self.assertEqual(read_all(second.endpoint(), 'kept'), [(seq, b'kept')])

    @unittest.skipUnless(os.geteuid() == 0, 'the owner seen in the container is root only under rootful podman')
    def test_unwritable_bind_mount_stops_with_a_clear_message(self):
        data = tempfile.mkdtemp(prefix='kemu-bind-')
        self.addCleanup(shutil.rmtree, data, True)
        os.chmod(data, 0o755)  # root's, as `mkdir` on the host makes it
        for fmt in ('text', 'json'):
            c = Container(self, env={'KINESIS_EMULATOR_DATA': '/data/kinesis.db', 'KINESIS_EMULATOR_LOG_FORMAT': fmt},
                          volumes=['%s:/data' % data])
            self.assertEqual(c.wait_exit(), 1)
            out, err = c.logs()
            self.assertEqual(out, [])
            self.assertEqual(len(err), 1, err)
            message = json.loads(err[0])['message'] if fmt == 'json' else err[0]
            self.assertIn('cannot use the data file /data/kinesis.db: the directory /data is not writable for this '
                          'process (uid 10001, gid 10001): Permission denied (owner uid 0, gid 0, mode 0755)', message)
            self.assertIn('chown it to that uid on the host', message)
        self.assertEqual(os.listdir(data), [])

    def test_faults_injected_from_the_host(self):
        c = Container(self, env={'KINESIS_EMULATOR_CREATE_STREAMS': 'orders'})
        c.ready()
        rule = json.dumps({'plugin': 'throttle', 'match': {'operation': 'PutRecord'}, 'count': 1}).encode()
        req = urllib.request.Request(c.endpoint() + '/_emulator/faults', data=rule, method='POST',
                                     headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(req, timeout=10) as r:
            self.assertEqual(r.status, 201)
        client = kinesis(c.endpoint())
        with self.assertRaises(ClientError) as ctx:
            client.put_record(StreamName='orders', PartitionKey='k', Data=b'x')
        self.assertEqual(ctx.exception.response['Error']['Code'], 'ProvisionedThroughputExceededException')
        self.assertEqual(ctx.exception.response['ResponseMetadata']['HTTPStatusCode'], 400)
        client.put_record(StreamName='orders', PartitionKey='k', Data=b'x')  # count 1: the next one passes


class HostNetworking(unittest.TestCase):
    """Under --network=host the image's 0.0.0.0 is every interface of the host (docs/container.md)."""

    @staticmethod
    def outside_address():
        """An address of this host that is not loopback, or None."""
        out = subprocess.run(['hostname', '-I'], capture_output=True, text=True).stdout.split()
        return next((a for a in out if ':' not in a and not a.startswith('127.')), None)

    @staticmethod
    def reachable(host, port):
        try:
            with socket.create_connection((host, port), timeout=2):
                return True
        except OSError:
            return False

    def test_loopback_host_keeps_it_off_other_interfaces(self):
        outside = self.outside_address()
        if outside is None:
            self.skipTest('this host has no address besides loopback')
        exposed = Container(self, network='host', env={'KINESIS_EMULATOR_PORT': '0'})
        _, url = exposed.ready()
        port = int(url.rsplit(':', 1)[1])
        self.assertTrue(self.reachable(outside, port), 'the default 0.0.0.0 should listen on %s' % outside)
        kept = Container(self, network='host', env={'KINESIS_EMULATOR_HOST': '127.0.0.1',
                                                    'KINESIS_EMULATOR_PORT': '0'})
        _, url = kept.ready()
        port = int(url.rsplit(':', 1)[1])
        self.assertTrue(self.reachable('127.0.0.1', port))
        self.assertFalse(self.reachable(outside, port))
        self.assertEqual(kept.health(), 0)


if __name__ == '__main__':
    unittest.main()
