"""The CI container's entrypoint and health check, run natively (ci/container_test.sh runs the real image).

Reads ci/Dockerfile for the runtime image's ENV, USER, ENTRYPOINT and HEALTHCHECK, starts the binary exactly as the
entrypoint would (same environment, configuration only through KINESIS_EMULATOR_* variables), and checks what a
user of the image sees: it listens on 0.0.0.0, pre-creates streams, writes only JSON lines with JSON logs, answers
the health check script wherever the port and address came from, and exits 0 on SIGTERM. Also: a data directory
the process may not write is refused with a message that says what to do.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DOCKERFILE = os.path.join(ROOT, 'ci', 'Dockerfile')
HEALTHCHECK = os.path.join(ROOT, 'ci', 'healthcheck.sh')
BINARY = os.environ.get('KEMU_BINARY', os.path.join(ROOT, 'build', 'kinesis-emulator'))


def runtime_stage():
    text = open(DOCKERFILE).read()
    return text.split('\nFROM ')[-1]


def image_env():
    env = {}
    for block in re.findall(r'^ENV (.+?)(?<!\\)$', runtime_stage(), re.M | re.S):
        for key, value in re.findall(r'(KINESIS_EMULATOR_[A-Z_]+)=(\S+)', block):
            env[key] = value
    return env


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Entrypoint:
    """The binary started with the image's environment (its ready file moved to a private directory)."""

    def __init__(self, test, env=None, args=(), ready_dir=None):
        self.ready_dir = ready_dir or tempfile.mkdtemp(prefix='kemu-entrypoint-')
        test.addCleanup(shutil.rmtree, self.ready_dir, True)
        self.env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin')}
        self.env.update(image_env())
        self.env['KINESIS_EMULATOR_READY_FILE'] = os.path.join(self.ready_dir, 'ready')
        self.env.update(env or {})
        self.proc = subprocess.Popen([BINARY] + list(args), env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        test.addCleanup(self.kill)
        self.stdout = []

    def ready(self):
        """Reads stdout up to the ready line; returns it (text, or the JSON object under JSON logs)."""
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError('exited before the ready line: %r %r' % (self.stdout, self.proc.stderr.read()))
            self.stdout.append(line.rstrip('\n'))
            if line.startswith('{') and json.loads(line).get('event') == 'ready':
                return json.loads(line)
            if line.startswith('kinesis-emulator ready on '):
                return line.strip()

    def health(self, env=None, path=None):
        e = dict(self.env)
        e.update(env or {})
        if path is not None:
            e['PATH'] = path
        return subprocess.run(['bash', HEALTHCHECK], env=e, timeout=10, stderr=subprocess.DEVNULL).returncode

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=10)
        self.stdout += self.proc.stdout.read().splitlines()
        return code, self.proc.stderr.read()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdout, self.proc.stderr):
            f.close()


def client(port, host='127.0.0.1'):
    return boto3.client('kinesis', endpoint_url='http://%s:%d' % (host, port), region_name='us-east-1',
                        aws_access_key_id='AKIAEXAMPLE', aws_secret_access_key='secret',
                        config=Config(retries={'total_max_attempts': 1, 'mode': 'standard'}))


class ContainerEntrypointTest(unittest.TestCase):
    def test_dockerfile_declares_what_the_image_promises(self):
        stage = runtime_stage()
        self.assertIn('ENTRYPOINT ["/usr/local/bin/kinesis-emulator"]', stage)
        self.assertRegex(stage, r'HEALTHCHECK .*\n? *CMD \["/usr/local/bin/kinesis-emulator-healthcheck"\]')
        self.assertRegex(stage, r'\nUSER 10001:10001\n')  # numeric: Kubernetes' runAsNonRoot can verify it
        self.assertRegex(stage, r'groupadd --gid 10001 kinesis')
        self.assertRegex(stage, r'useradd --uid 10001 --gid 10001 ')
        self.assertEqual(image_env().get('KINESIS_EMULATOR_HOST'), '0.0.0.0')
        self.assertEqual(image_env().get('KINESIS_EMULATOR_PORT'), '4567')
        self.assertTrue(image_env().get('KINESIS_EMULATOR_READY_FILE', '').startswith('/tmp/'))

    def test_runs_as_the_entrypoint_would(self):
        port = free_port()  # the image's 4567 may be taken on this machine; the same variable moves it
        emu = Entrypoint(self, env={'KINESIS_EMULATOR_PORT': str(port),
                                    'KINESIS_EMULATOR_CREATE_STREAMS': 'orders:2,events',
                                    'KINESIS_EMULATOR_LOG_FORMAT': 'json'})
        ready = emu.ready()
        self.assertEqual(ready['message'], 'kinesis-emulator ready on http://0.0.0.0:%d' % port)
        self.assertEqual(ready['url'], 'http://0.0.0.0:%d' % port)
        self.assertEqual(ready['endpoint'], 'http://127.0.0.1:%d' % port)
        self.assertEqual(ready['level'], 'info')
        self.assertIsInstance(ready['time_ms'], int)
        with open(emu.env['KINESIS_EMULATOR_READY_FILE']) as f:
            self.assertEqual(f.read(), 'http://127.0.0.1:%d\n' % port)
        self.assertEqual(emu.health(), 0)

        kinesis = client(port)
        self.assertEqual(kinesis.list_streams()['StreamNames'], ['events', 'orders'])
        self.assertEqual(len(kinesis.list_shards(StreamName='orders')['Shards']), 2)

        code, stderr = emu.stop()
        self.assertEqual(code, 0)
        self.assertFalse(os.path.exists(emu.env['KINESIS_EMULATOR_READY_FILE']))
        lines = [l for l in emu.stdout + stderr.splitlines() if l.strip()]
        for l in lines:
            entry = json.loads(l)  # every line, stdout and stderr, is a JSON object
            self.assertIn(entry['level'], ('error', 'warn', 'info', 'debug'))
            self.assertIsInstance(entry['time_ms'], int)
        self.assertTrue(any('SIGTERM' in json.loads(l)['message'] for l in lines))
        # Stopped: the health check now fails, with or without the ready file setting.
        self.assertNotEqual(emu.health(), 0)
        self.assertNotEqual(emu.health(env={'KINESIS_EMULATOR_READY_FILE': ''}), 0)

    def test_tls_lines_are_json_too(self):
        emu = Entrypoint(self, env={'KINESIS_EMULATOR_PORT': '0', 'KINESIS_EMULATOR_TLS': '1',
                                    'KINESIS_EMULATOR_LOG_FORMAT': 'json'})
        ready = emu.ready()
        events = [json.loads(l) for l in emu.stdout]
        self.assertEqual([e['event'] for e in events], ['tls_certificate', 'tls_key', 'ready'])
        self.assertTrue(os.path.exists(events[0]['path']))
        self.assertEqual(events[0]['message'], 'kinesis-emulator TLS certificate: ' + events[0]['path'])
        self.assertTrue(ready['url'].startswith('https://0.0.0.0:'))

    def test_text_lines_are_unchanged(self):
        emu = Entrypoint(self, env={'KINESIS_EMULATOR_PORT': '0', 'KINESIS_EMULATOR_TLS': '1'})
        ready = emu.ready()
        self.assertRegex(ready, r'^kinesis-emulator ready on https://0\.0\.0\.0:\d+$')
        self.assertRegex(emu.stdout[0], r'^kinesis-emulator TLS certificate: /.+/cert\.pem$')
        self.assertRegex(emu.stdout[1], r'^kinesis-emulator TLS key: /.+/key\.pem$')

    def test_health_check_follows_the_port_and_address_in_use(self):
        port, unused = free_port(), free_port()
        cases = [
            ('a --port argument over the variable', {'KINESIS_EMULATOR_PORT': str(unused)}, ['--port', str(port)]),
            ('port 0', {'KINESIS_EMULATOR_PORT': '0'}, []),
            ('one specific address', {'KINESIS_EMULATOR_HOST': '127.0.0.2', 'KINESIS_EMULATOR_PORT': '0'}, []),
            ('a --host argument', {'KINESIS_EMULATOR_PORT': '0'}, ['--host', '127.0.0.3']),
            ('TLS', {'KINESIS_EMULATOR_PORT': '0', 'KINESIS_EMULATOR_TLS': 'true'}, []),
        ]
        for what, env, args in cases:
            with self.subTest(what):
                emu = Entrypoint(self, env=env, args=args)
                url = emu.ready().split(' ready on ')[1]
                self.assertEqual(emu.health(), 0, url)
                # What the image's check did before the ready file: probe 127.0.0.1 on KINESIS_EMULATOR_PORT.
                old_way = emu.health(env={'KINESIS_EMULATOR_READY_FILE': ''})
                if what != 'TLS':
                    self.assertNotEqual(old_way, 0, url)
                code, _ = emu.stop()
                self.assertEqual(code, 0)
                self.assertNotEqual(emu.health(), 0, 'healthy after the stop: ' + url)

    def test_health_check_on_tls_without_openssl(self):
        # The image has no openssl binary: the check then takes the TLS port's plaintext refusal as proof of life.
        bin_dir = tempfile.mkdtemp(prefix='kemu-no-openssl-')
        self.addCleanup(shutil.rmtree, bin_dir, True)
        for tool in ('bash', 'cat', 'timeout'):
            os.symlink(shutil.which(tool), os.path.join(bin_dir, tool))
        emu = Entrypoint(self, env={'KINESIS_EMULATOR_PORT': '0', 'KINESIS_EMULATOR_TLS': '1'})
        emu.ready()
        self.assertEqual(emu.health(path=bin_dir), 0)
        self.assertEqual(emu.health(), 0)  # and with openssl (on this machine): a real TLS request

    def test_health_check_verdict_without_a_server(self):
        ready_dir = tempfile.mkdtemp(prefix='kemu-entrypoint-')
        self.addCleanup(shutil.rmtree, ready_dir, True)
        env = dict(image_env(), PATH=os.environ.get('PATH', ''),
                   KINESIS_EMULATOR_READY_FILE=os.path.join(ready_dir, 'ready'))
        run = lambda: subprocess.run(['bash', HEALTHCHECK], env=env, timeout=10).returncode
        self.assertEqual(run(), 1)  # no ready file: not started yet
        with open(env['KINESIS_EMULATOR_READY_FILE'], 'w') as f:
            f.write('http://127.0.0.1:%d\n' % free_port())  # left behind by a killed process
        self.assertEqual(run(), 1)
        with open(env['KINESIS_EMULATOR_READY_FILE'], 'w') as f:
            f.write('garbage\n')
        self.assertEqual(run(), 1)

    def test_unwritable_data_directory_is_refused_with_what_to_do(self):
        data_dir = tempfile.mkdtemp(prefix='kemu-data-')
        self.addCleanup(shutil.rmtree, data_dir, True)
        os.chmod(data_dir, 0o755)
        cmd = [BINARY, '--port', '0', '--data', os.path.join(data_dir, 'kinesis.db')]
        if os.geteuid() == 0:
            if shutil.which('setpriv') is None:
                self.skipTest('needs setpriv to run as another user')
            uid = 10001  # the image's user, not owning the (root's) directory: the bind-mount case
            cmd = ['setpriv', '--reuid=%d' % uid, '--regid=%d' % uid, '--clear-groups'] + cmd
        else:
            uid = os.geteuid()
            os.chmod(data_dir, 0o555)
            self.addCleanup(os.chmod, data_dir, 0o755)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        self.assertEqual(done.returncode, 1)
        self.assertEqual(done.stdout, '')
        self.assertIn('cannot use the data file %s/kinesis.db: the directory %s is not writable for this process '
                      '(uid %d' % (data_dir, data_dir, uid), done.stderr)
        self.assertIn('Make it writable for uid %d' % uid, done.stderr)
        self.assertIn('chown', done.stderr)
        self.assertNotIn('unable to open database file', done.stderr)


if __name__ == '__main__':
    unittest.main()
