"""ci/examples/docker-compose.yml brought up with podman-compose, as a user would, and checked like the image."""
import json
import os
import subprocess
import time
import unittest
import uuid

from podman_tools import BASE_IMAGE, IMAGE, REPO, free_port, image_id, kinesis, podman, startup_message

COMPOSE_FILE = os.path.join(REPO, 'ci', 'examples', 'docker-compose.yml')


class ComposeExample(unittest.TestCase):
    def setUp(self):
        self.project = 'kemu%s' % uuid.uuid4().hex[:8]
        self.port = free_port()
        # BUILDAH_FORMAT: podman-compose builds with plain `podman build`, whose OCI default drops HEALTHCHECK.
        self.env = dict(os.environ, KINESIS_HOST_PORT=str(self.port), BUILDAH_FORMAT='docker')
        self.addCleanup(self.compose, 'down', '-v', check=False)

    def compose(self, *args, check=True, timeout=900):
        done = subprocess.run(['podman-compose', '-p', self.project, '-f', COMPOSE_FILE] + list(args),
                              env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise AssertionError('podman-compose %s: %d\n%s\n%s' % (' '.join(args), done.returncode,
                                                                     done.stdout[-3000:], done.stderr[-3000:]))
        return done

    def container(self):
        ids = podman('ps', '-a', '-q', '--filter', 'label=io.podman.compose.project=%s' % self.project).stdout.split()
        self.assertEqual(len(ids), 1, ids)
        return ids[0]

    def wait_ready(self, cid, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            out = podman('logs', cid).stdout.splitlines()
            if any(startup_message(l).startswith('kinesis-emulator ready on ') for l in out):
                return out
            self.assertLess(time.monotonic(), deadline, 'no ready line: %r' % out)
            time.sleep(0.05)

    def test_up_check_restart_down(self):
        # `up --build`, as after a checkout; the build arguments podman-compose passes are the user's, so the
        # layer cache gives the image ci/container_test.sh built.
        self.compose('up', '-d', '--build', '--build-arg', 'BASE=' + BASE_IMAGE)
        self.addCleanup(podman, 'untag', 'localhost/kinesis-emulator:local', 'localhost/kinesis-emulator:local',
                        check=False)
        self.assertEqual(image_id('localhost/kinesis-emulator:local'), image_id(IMAGE))
        cid = self.container()
        out = self.wait_ready(cid)
        ready = json.loads([l for l in out if 'ready on' in l][0])  # KINESIS_EMULATOR_LOG_FORMAT: json
        self.assertEqual(ready['url'], 'http://0.0.0.0:4567')
        self.assertEqual(podman('healthcheck', 'run', cid, check=False).returncode, 0)
        # Published on loopback only, on the port KINESIS_HOST_PORT chose.
        self.assertEqual(podman('port', cid, '4567/tcp').stdout.strip(), '127.0.0.1:%d' % self.port)
        self.assertEqual(podman('exec', cid, 'id', '-u').stdout.strip(), '10001')

        endpoint = 'http://127.0.0.1:%d' % self.port
        client = kinesis(endpoint)
        self.assertEqual(client.list_streams()['StreamNames'], ['events', 'orders'])
        self.assertEqual(len(client.list_shards(StreamName='orders')['Shards']), 2)
        seq = client.put_record(StreamName='events', PartitionKey='k', Data=b'kept')['SequenceNumber']

        self.compose('stop')
        self.assertEqual(podman('inspect', '--format', '{{.State.ExitCode}}', cid).stdout.strip(), '0')
        self.compose('down')  # the container goes, the named volume stays
        self.compose('up', '-d')
        cid = self.container()
        self.wait_ready(cid)
        client = kinesis(endpoint)
        shard = client.list_shards(StreamName='events')['Shards'][0]['ShardId']
        it = client.get_shard_iterator(StreamName='events', ShardId=shard, ShardIteratorType='TRIM_HORIZON')
        records = client.get_records(ShardIterator=it['ShardIterator'])['Records']
        self.assertEqual([(r['SequenceNumber'], r['Data']) for r in records], [(seq, b'kept')])

        self.compose('down', '-v')
        volumes = podman('volume', 'ls', '-q', '--filter', 'label=io.podman.compose.project=%s' % self.project)
        self.assertEqual(volumes.stdout.split(), [])


if __name__ == '__main__':
    unittest.main()
