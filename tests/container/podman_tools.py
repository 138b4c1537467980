"""Helpers for the image tests: podman calls, one container under test, boto3 clients pointed at it.

ci/container_test.sh sets the environment: KEMU_IMAGE (the image under test), KEMU_BASE_IMAGE (its BASE build
argument), KEMU_TEST_LABEL (a label put on every container, volume and image made here, so that whatever a failed
test leaves behind is removed by the script) and CONTAINERS_CONF (the runtime and ulimits this machine needs).
"""
import datetime
import json
import os
import re
import socket
import subprocess
import time

import boto3
from botocore.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
IMAGE = os.environ.get('KEMU_IMAGE', 'localhost/kinesis-emulator:ci')
BASE_IMAGE = os.environ.get('KEMU_BASE_IMAGE', 'debian:12-slim')
LABEL = os.environ.get('KEMU_TEST_LABEL', 'kinesis-emulator-test=manual')
READY_TIMEOUT = 10.0
# podman without systemd complains on every run, stop and rm of a container with a health check; nothing is wrong.
_SYSTEMD_NOISE = re.compile(r'^time=.*(unable to get systemd connection|healthcheck).*$\n?', re.M)


class PodmanError(RuntimeError):
    pass


def podman(*args, check=True, timeout=120, input=None, env=None):
    """Runs `podman ARGS`; returns the CompletedProcess (text) with podman's systemd noise taken out of stderr."""
    done = subprocess.run(['podman'] + [str(a) for a in args], capture_output=True, text=True, timeout=timeout,
                          input=input, env=env)
    done.stderr = _SYSTEMD_NOISE.sub('', done.stderr)
    if check and done.returncode != 0:
        raise PodmanError('podman %s: exit %d\n%s%s' % (' '.join(map(str, args)), done.returncode, done.stdout,
                                                       done.stderr))
    return done


def build_command(tag, extra=()):
    """The build ci/container_test.sh runs (same arguments, so the layer cache answers)."""
    return ['build', '--pull=never', '--network=host', '--format', 'docker', '--build-arg', 'BASE=' + BASE_IMAGE,
            '-f', os.path.join(REPO, 'ci', 'Dockerfile'), '-t', tag] + list(extra) + [REPO]


def image_id(ref):
    return podman('image', 'inspect', '--format', '{{.Id}}', ref).stdout.strip()


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def parse_podman_time(text):
    """'2026-12-03 09:50:25.161227705 +0000 UTC' or RFC 3339 (podman logs -t) -> seconds since the epoch."""
    text = text.strip()
    m = re.match(r'^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(?:\.(\d+))?', text)
    if not m:
        raise ValueError('not a podman time: %r' % text)
    whole = datetime.datetime.strptime(m.group(1) + ' ' + m.group(2), '%Y-%m-%d %H:%M:%S')
    whole = whole.replace(tzinfo=datetime.timezone.utc)  # podman prints UTC here (+0000 / Z)
    return whole.timestamp() + float('0.' + (m.group(3) or '0'))


def kinesis(endpoint, verify=None, region='us-east-1'):
    return boto3.client('kinesis', endpoint_url=endpoint, region_name=region, verify=verify,
                        aws_access_key_id='AKIAEXAMPLE', aws_secret_access_key='secret',
                        config=Config(retries={'total_max_attempts': 1, 'mode': 'standard'}))


def startup_message(line):
    """The text of a startup line: as it is, or the message of its JSON form."""
    if line.startswith('{'):
        try:
            return json.loads(line).get('message', line)
        except ValueError:
            return line
    return line


class Container:
    """One container of the image under test, removed when the test ends.

    port: the container port to publish on 127.0.0.1 (a free host port), None to publish nothing.
    network: None (podman's default bridge) or 'host'. create_only: make it, do not start it.
    """

    def __init__(self, test, env=None, args=(), port=4567, network=None, volumes=(), entrypoint=None,
                 options=(), image=None, create_only=False):
        cmd = ['create' if create_only else 'run'] + ([] if create_only else ['-d']) + ['--label', LABEL]
        if network:
            cmd.append('--network=' + network)
        if port is not None and network != 'host':
            cmd += ['-p', '127.0.0.1::%d' % port]
        for k, v in (env or {}).items():
            cmd += ['-e', '%s=%s' % (k, v)]
        for v in volumes:
            cmd += ['-v', v]
        if entrypoint is not None:
            cmd += ['--entrypoint', entrypoint]
        cmd += list(options)
        cmd.append(image or IMAGE)
        cmd += list(args)
        self.port = port
        self.id = podman(*cmd).stdout.strip().splitlines()[-1]
        test.addCleanup(self.remove)

    # -- state ------------------------------------------------------------------------------------------------

    def inspect(self, fmt):
        return podman('inspect', '--format', fmt, self.id).stdout.strip()

    def running(self):
        return self.inspect('{{.State.Running}}') == 'true'

    def exit_code(self):
        return int(self.inspect('{{.State.ExitCode}}'))

    def logs(self, timestamps=False):
        """(stdout lines, stderr lines)."""
        done = podman('logs', *(['-t'] if timestamps else []), self.id)
        return done.stdout.splitlines(), [l for l in done.stderr.splitlines() if l.strip()]

    def describe(self):
        out, err = self.logs()
        return 'container %s (running=%s): stdout=%r stderr=%r' % (self.id[:12], self.running(), out, err)

    # -- readiness and health ------------------------------------------------------------------------------------

    def start(self):
        podman('start', self.id)

    def ready(self, timeout=READY_TIMEOUT):
        """Waits for the ready line; returns (the line as printed, its URL)."""
        deadline = time.monotonic() + timeout
        while True:
            out, _ = self.logs()
            for line in out:
                m = re.match(r'^kinesis-emulator ready on (\S+)$', startup_message(line))
                if m:
                    return line, m.group(1)
            if not self.running():
                raise AssertionError('exited before the ready line: ' + self.describe())
            if time.monotonic() > deadline:
                raise AssertionError('no ready line within %.0f s: %s' % (timeout, self.describe()))
            time.sleep(0.05)

    def health(self):
        """The image's HEALTHCHECK run once by podman: 0 healthy, 1 unhealthy (podman schedules none here)."""
        done = podman('healthcheck', 'run', self.id, check=False)
        if done.returncode not in (0, 1):
            raise PodmanError('podman healthcheck run: %d %s %s' % (done.returncode, done.stdout, done.stderr))
        return done.returncode

    def health_status(self):
        return self.inspect('{{.State.Health.Status}}')

    def host_port(self, port=None):
        """The 127.0.0.1 port published for the container's `port` (default: the one given at start)."""
        out = podman('port', self.id, '%d/tcp' % (port or self.port)).stdout.strip().splitlines()[0]
        host, _, p = out.rpartition(':')
        if host != '127.0.0.1':
            raise AssertionError('published on %s, not on 127.0.0.1 only' % out)
        return int(p)

    def endpoint(self, scheme='http'):
        return '%s://127.0.0.1:%d' % (scheme, self.host_port())

    def exec(self, *cmd, check=True):
        return podman('exec', self.id, *cmd, check=check)

    # -- ending ---------------------------------------------------------------------------------------------------

    def stop(self, seconds=1):
        """`podman stop -t seconds`: SIGTERM, then SIGKILL after `seconds`. Returns the exit code."""
        podman('stop', '-t', seconds, self.id)
        return self.exit_code()

    def wait_exit(self, timeout=10):
        done = podman('wait', self.id, timeout=timeout)
        return int(done.stdout.strip().splitlines()[-1])

    def remove(self):
        podman('rm', '-f', '-t', '0', self.id, check=False)
