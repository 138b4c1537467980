"""The CI container's entrypoint, run without a Docker engine (none runs on this machine).

Reads ci/Dockerfile for the runtime image's ENV, ENTRYPOINT and HEALTHCHECK, starts the binary exactly as the
entrypoint would (same environment, configuration only through KINESIS_EMULATOR_* variables), and checks what a
user of the image sees: it listens on 0.0.0.0, pre-creates streams, answers the health check script, writes JSON
log lines, and exits 0 on SIGTERM.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
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


class ContainerEntrypointTest(unittest.TestCase):
    def test_dockerfile_declares_what_the_image_promises(self):
        stage = runtime_stage()
        self.assertIn('ENTRYPOINT ["/usr/local/bin/kinesis-emulator"]', stage)
        self.assertRegex(stage, r'HEALTHCHECK .*kinesis-emulator-healthcheck')
        self.assertRegex(stage, r'\nUSER kinesis\n')
        self.assertEqual(image_env().get('KINESIS_EMULATOR_HOST'), '0.0.0.0')
        self.assertEqual(image_env().get('KINESIS_EMULATOR_PORT'), '4567')

    def test_runs_as_the_entrypoint_would(self):
        port = free_port()  # the image's 4567 may be taken on this machine; the same variable moves it
        env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin')}
        env.update(image_env())
        env.update({'KINESIS_EMULATOR_PORT': str(port), 'KINESIS_EMULATOR_CREATE_STREAMS': 'orders:2,events',
                    'KINESIS_EMULATOR_LOG_FORMAT': 'json'})
        proc = subprocess.Popen([BINARY], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline()
            self.assertEqual(line.strip(), 'kinesis-emulator ready on http://0.0.0.0:%d' % port)
            health = subprocess.run(['bash', HEALTHCHECK], env=env, timeout=10)
            self.assertEqual(health.returncode, 0)

            client = boto3.client('kinesis', endpoint_url='http://127.0.0.1:%d' % port, region_name='us-east-1',
                                  aws_access_key_id='AKIAEXAMPLE', aws_secret_access_key='secret',
                                  config=Config(retries={'total_max_attempts': 1, 'mode': 'standard'}))
            names = client.list_streams()['StreamNames']
            self.assertEqual(names, ['events', 'orders'])
            shards = client.list_shards(StreamName='orders')['Shards']
            self.assertEqual(len(shards), 2)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise
            stderr = proc.stderr.read()
        self.assertEqual(code, 0)
        log_lines = [l for l in stderr.splitlines() if l.strip()]
        self.assertTrue(log_lines)
        for l in log_lines:
            entry = json.loads(l)
            self.assertIn(entry['level'], ('error', 'warn', 'info', 'debug'))
            self.assertIsInstance(entry['time_ms'], int)
        self.assertTrue(any('SIGTERM' in json.loads(l)['message'] for l in log_lines))
        # Stopped: the health check now fails.
        down = subprocess.run(['bash', HEALTHCHECK], env={'KINESIS_EMULATOR_PORT': str(port), 'PATH': env['PATH']},
                              timeout=10, stderr=subprocess.DEVNULL)
        self.assertNotEqual(down.returncode, 0)


if __name__ == '__main__':
    unittest.main()
