"""Helpers shared by the kinesis-emulator integration tests.

* EmulatorProcess  - starts the emulator binary on a free port, parses the ready
                     line, stops it (SIGTERM) or kills it (SIGKILL), and hands out
                     boto3 clients pointed at it.
* raw_request      - a signed (or deliberately unsigned) raw HTTP request with
                     http.client, for protocol-level assertions.
* EmulatorTestCase - unittest base class: one emulator process per TestCase class.
* small helpers for stream creation, hash-key arithmetic and reading shards.

Only the standard library plus boto3/botocore are used.
"""

import datetime
import hashlib
import http.client
import json
import os
import queue
import re
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import uuid

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
DEFAULT_BINARY = os.path.join(REPO_ROOT, 'build', 'kinesis-emulator')

READY_RE = re.compile(r'^kinesis-emulator ready on (?P<scheme>https?)://(?P<host>[^\s:/]+):(?P<port>\d+)$')
TLS_CERT_RE = re.compile(r'^kinesis-emulator TLS certificate: (?P<path>.+)$')
READY_TIMEOUT = 10.0

JSON_CT = 'application/x-amz-json-1.1'
TARGET_PREFIX = 'Kinesis_20131202.'
DEFAULT_ACCOUNT = '000000000000'
DEFAULT_REGION = 'us-east-1'
DEFAULT_ACCESS_KEY = 'AKIAEXAMPLE'
SECRET_KEY = 'fake-secret-key'
HASH_SPACE = 2 ** 128
MAX_HASH = HASH_SPACE - 1


def startup_text(line):
    """The text form of a startup line on stdout: as it is, or the message of its JSON form (--log-format json)."""
    if line.startswith('{'):
        try:
            return json.loads(line).get('message', line)
        except ValueError:
            return line
    return line


def binary_path():
    return os.environ.get('KEMU_BINARY') or DEFAULT_BINARY


def unique_name(prefix='s'):
    """A stream name that no other test uses."""
    return '%s-%s' % (prefix, uuid.uuid4().hex[:12])


def shard_id(index):
    return 'shardId-%012d' % index


def md5_hash_key(partition_key):
    """Hash key of a partition key: MD5 of its UTF-8 bytes as a 128-bit big-endian int."""
    return int.from_bytes(hashlib.md5(partition_key.encode('utf-8')).digest(), 'big')


def expected_ranges(n):
    """Initial hash-key layout for n shards: even split of 2^128, the last ending at 2^128-1."""
    width = HASH_SPACE // n
    ranges = [(i * width, (i + 1) * width - 1) for i in range(n)]
    ranges[-1] = (ranges[-1][0], MAX_HASH)
    return ranges


def shard_for_hash(shards, hash_key):
    """ShardId of the shard (boto3 Shard dicts) whose hash range holds hash_key."""
    matches = [s['ShardId'] for s in shards
               if int(s['HashKeyRange']['StartingHashKey']) <= hash_key <= int(s['HashKeyRange']['EndingHashKey'])]
    if len(matches) != 1:
        raise AssertionError('hash key %d is in %d shard ranges: %r' % (hash_key, len(matches), matches))
    return matches[0]


def stream_arn(name, region=DEFAULT_REGION, account=DEFAULT_ACCOUNT):
    return 'arn:aws:kinesis:%s:%s:stream/%s' % (region, account, name)


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def sleep_past_second_boundary(margin=0.05):
    """Sleep until just after the next whole second and return that second (int epoch).

    botocore serialises JSON timestamps as whole epoch seconds, so tests that need
    a timestamp strictly between two records place it on a second boundary."""
    now = time.time()
    boundary = int(now) + 1
    time.sleep(boundary - now + margin)
    return boundary


class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # http.client.HTTPMessage: case-insensitive get()
        self.body = body

    def json(self):
        return json.loads(self.body.decode('utf-8'))

    @property
    def error_type(self):
        """__type of an error body, sanitised like the SDKs do (cut at ':', keep after '#')."""
        t = self.json().get('__type', '')
        return t.split(':')[0].split('#')[-1]

    def __repr__(self):
        return 'RawResponse(status=%r, headers=%r, body=%r)' % (self.status, dict(self.headers), self.body[:500])


def sign_headers(port, body, target=None, region=DEFAULT_REGION, access_key=DEFAULT_ACCESS_KEY,
                 content_type=JSON_CT, path='/', host='127.0.0.1'):
    """Headers of a SigV4-signed Kinesis request (real signature, dummy secret)."""
    headers = {}
    if content_type is not None:
        headers['Content-Type'] = content_type
    if target is not None:
        headers['X-Amz-Target'] = target
    req = AWSRequest(method='POST', url='http://%s:%d%s' % (host, port, path), data=body, headers=headers)
    SigV4Auth(Credentials(access_key, SECRET_KEY), 'kinesis', region).add_auth(req)
    return dict(req.headers.items())


def raw_request(port, body=b'', target=None, operation=None, method='POST', path='/', headers=None,
                sign=True, content_type=JSON_CT, region=DEFAULT_REGION, access_key=DEFAULT_ACCESS_KEY,
                host='127.0.0.1', timeout=10, connection=None):
    """Send one raw HTTP request and return a RawResponse.

    operation='ListStreams' is shorthand for target='Kinesis_20131202.ListStreams'.
    body may be bytes, str, or a dict (JSON-encoded). sign=False sends no Authorization.
    headers are added last and override generated ones; a value of None removes a header.
    connection: reuse an open http.client.HTTPConnection (keep-alive)."""
    if operation is not None:
        target = TARGET_PREFIX + operation
    if isinstance(body, dict):
        body = json.dumps(body).encode('utf-8')
    elif isinstance(body, str):
        body = body.encode('utf-8')
    if sign:
        hdrs = sign_headers(port, body, target=target, region=region, access_key=access_key,
                            content_type=content_type, path=path, host=host)
    else:
        hdrs = {}
        if content_type is not None:
            hdrs['Content-Type'] = content_type
        if target is not None:
            hdrs['X-Amz-Target'] = target
    for k, v in (headers or {}).items():
        for existing in [h for h in hdrs if h.lower() == k.lower()]:
            del hdrs[existing]
        if v is not None:
            hdrs[k] = v
    conn = connection or http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        send_body = body if (body or method == 'POST') else None
        conn.request(method, path, body=send_body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return RawResponse(resp.status, resp.headers, data)
    finally:
        if connection is None:
            conn.close()


def admin_request(port, method, path, body=None, token=None, headers=None, host='127.0.0.1', timeout=10,
                  connection=None):
    """One call to the admin API (/_emulator/...); returns a RawResponse (.status, .headers, .body, .json()).

    path may omit the /_emulator prefix ('faults' == '/_emulator/faults'). body may be a dict/list (sent as
    JSON), str or bytes. token sends 'Authorization: Bearer <token>'; headers are added last (None removes)."""
    if not path.startswith('/'):
        path = '/_emulator/' + path
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode('utf-8')
    elif isinstance(body, str):
        body = body.encode('utf-8')
    hdrs = {}
    if body is not None:
        hdrs['Content-Type'] = 'application/json'
    if token is not None:
        hdrs['Authorization'] = 'Bearer %s' % token
    for k, v in (headers or {}).items():
        for existing in [h for h in hdrs if h.lower() == k.lower()]:
            del hdrs[existing]
        if v is not None:
            hdrs[k] = v
    conn = connection or http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=hdrs)
        resp = conn.getresponse()
        data = resp.read()
        return RawResponse(resp.status, resp.headers, data)
    finally:
        if connection is None:
            conn.close()


class EmulatorProcess:
    """One kinesis-emulator process listening on a free port."""

    def __init__(self, extra_args=(), env=None, binary=None, default_flags=True):
        self.extra_args = list(extra_args)
        self.env = dict(env or {})
        self.binary = binary or binary_path()
        self.default_flags = default_flags
        self.proc = None
        self.host = None
        self.port = None
        self.scheme = 'http'
        self.tls_cert = None  # the certificate file the emulator printed (under --tls)
        self.stdout_lines = []
        self.ready_line = None
        self._stderr = None
        self._lines = None
        self._reader = None
        self._session = None
        self._session_lock = threading.Lock()
        self._clients = []

    # -- lifecycle -----------------------------------------------------------

    def start(self, timeout=READY_TIMEOUT):
        if not os.path.exists(self.binary):
            raise RuntimeError('kinesis-emulator binary not found at %s (set KEMU_BINARY)' % self.binary)
        env = {k: v for k, v in os.environ.items() if not k.startswith('KINESIS_EMULATOR_')}
        env.update(self.env)
        args = [self.binary]
        if self.default_flags:
            if '--host' not in self.extra_args:
                args += ['--host', '127.0.0.1']
            if '--port' not in self.extra_args:
                args += ['--port', '0']
        args += self.extra_args
        self.stdout_lines = []
        self.ready_line = None
        self._stderr = tempfile.TemporaryFile()
        self._lines = queue.Queue()
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._stderr, env=env, start_new_session=True)
        self._reader = threading.Thread(target=self._read_stdout, args=(self.proc.stdout, self._lines),
                                        daemon=True)
        self._reader.start()
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill9()
                raise RuntimeError('emulator did not print its ready line within %.0f s; stdout=%r stderr=%r'
                                   % (timeout, self.stdout_lines, self.stderr_text()))
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                code = self.proc.wait(timeout=5)
                raise RuntimeError('emulator exited (code %r) before becoming ready; stdout=%r stderr=%r'
                                   % (code, self.stdout_lines, self.stderr_text()))
            line = startup_text(line)
            cert = TLS_CERT_RE.match(line)
            if cert:
                self.tls_cert = cert.group('path')
            m = READY_RE.match(line)
            if m:
                self.ready_line = line
                self.scheme = m.group('scheme')
                self.host = m.group('host')
                self.port = int(m.group('port'))
                return self

    def _read_stdout(self, stream, lines):
        for raw in iter(stream.readline, b''):
            line = raw.decode('utf-8', 'replace').rstrip('\r\n')
            self.stdout_lines.append(line)
            lines.put(line)
        lines.put(None)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def send_signal(self, sig, timeout=10):
        """Send sig and wait for the exit; returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
            raise RuntimeError('emulator did not exit within %s s after signal %s' % (timeout, sig))

    def stop(self, timeout=10):
        """Graceful shutdown (SIGTERM); returns the exit code."""
        return self.send_signal(signal.SIGTERM, timeout)

    def kill9(self):
        """Hard kill (SIGKILL); returns the exit code (negative signal number)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.kill()
        return self.proc.wait(timeout=10)

    def stderr_text(self, limit=4000):
        if self._stderr is None:
            return ''
        try:
            self._stderr.flush()
            self._stderr.seek(0)
            data = self._stderr.read()
        except (OSError, ValueError):
            return ''
        return data.decode('utf-8', 'replace')[-limit:]

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.running():
            self.stop()

    # -- clients -------------------------------------------------------------

    @property
    def endpoint(self):
        return '%s://%s:%d' % (self.scheme, self.host or '127.0.0.1', self.port)

    def client(self, region=DEFAULT_REGION, access_key=DEFAULT_ACCESS_KEY, retries_off=True, validate=True,
               max_pool_connections=10, verify=None):
        """A boto3 kinesis client for this emulator (dummy credentials, 10 s timeouts).

        verify (https only): False, or a CA bundle path; default: the certificate the emulator printed."""
        retries = {'total_max_attempts': 1, 'mode': 'standard'} if retries_off else {'max_attempts': 3,
                                                                                        'mode': 'standard'}
        cfg = Config(retries=retries, connect_timeout=10, read_timeout=10, parameter_validation=validate,
                     max_pool_connections=max_pool_connections)
        with self._session_lock:
            if self._session is None:
                self._session = boto3.session.Session()
            client = self._session.client('kinesis', region_name=region, endpoint_url=self.endpoint,
                                          aws_access_key_id=access_key, aws_secret_access_key=SECRET_KEY,
                                          aws_session_token=None, config=cfg,
                                          verify=self._verify(verify))
            self._clients.append(client)
            return client

    def _verify(self, verify):
        if self.scheme != 'https':
            return None
        if verify is None:
            return self.tls_cert if self.tls_cert else False
        return verify

    def close_clients(self):
        """Close the keep-alive connections of every client this object handed out."""
        with self._session_lock:
            clients, self._clients = self._clients, []
        for c in clients:
            c.close()

    def raw(self, **kwargs):
        """raw_request against this emulator."""
        return raw_request(self.port, **kwargs)

    def admin(self, method, path, body=None, **kwargs):
        """admin_request against this emulator."""
        return admin_request(self.port, method, path, body, host=self.host or '127.0.0.1', **kwargs)


# -- stream helpers ------------------------------------------------------------

def wait_for_status(client, name, status='ACTIVE', timeout=15, **addr):
    """Poll DescribeStreamSummary until StreamStatus == status; returns the summary."""
    addr = addr or {'StreamName': name}
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        summary = client.describe_stream_summary(**addr)['StreamDescriptionSummary']
        last = summary['StreamStatus']
        if last == status:
            return summary
        time.sleep(0.02)
    raise AssertionError('stream %s still %s after %s s (wanted %s)' % (name, last, timeout, status))


def wait_until_gone(client, name, timeout=15):
    """Poll until DescribeStreamSummary answers ResourceNotFoundException; returns that error."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            client.describe_stream_summary(StreamName=name)
        except ClientError as e:
            if e.response['Error']['Code'] == 'ResourceNotFoundException':
                return e
            raise
        time.sleep(0.02)
    raise AssertionError('stream %s still exists %s s after DeleteStream' % (name, timeout))


def create_stream(client, name, shard_count=None, mode=None, wait=True, **kwargs):
    """CreateStream and (by default) wait for ACTIVE; returns the summary or None."""
    params = dict(StreamName=name, **kwargs)
    if shard_count is not None:
        params['ShardCount'] = shard_count
    if mode is not None:
        params['StreamModeDetails'] = {'StreamMode': mode}
    client.create_stream(**params)
    if wait:
        return wait_for_status(client, name, 'ACTIVE')
    return None


def list_all_shards(client, name):
    shards = []
    resp = client.list_shards(StreamName=name)
    shards += resp['Shards']
    while resp.get('NextToken'):
        resp = client.list_shards(NextToken=resp['NextToken'])
        shards += resp['Shards']
    return shards


def read_shard(client, name, shard, iterator_type='TRIM_HORIZON', limit=None, max_calls=2000, **iter_args):
    """Read a shard from the given position until an empty page; returns the records."""
    it = client.get_shard_iterator(StreamName=name, ShardId=shard, ShardIteratorType=iterator_type,
                                   **iter_args)['ShardIterator']
    records = []
    for _ in range(max_calls):
        args = {'ShardIterator': it}
        if limit is not None:
            args['Limit'] = limit
        resp = client.get_records(**args)
        records += resp['Records']
        it = resp.get('NextShardIterator')
        if not resp['Records'] or it is None:
            return records
    raise AssertionError('shard %s of %s not drained after %d GetRecords calls' % (shard, name, max_calls))


# -- unittest base class -------------------------------------------------------

class EmulatorTestCase(unittest.TestCase):
    """Starts one emulator per TestCase class; self.kinesis is a default client."""

    emulator_args = ()
    emulator_env = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emu = EmulatorProcess(cls.emulator_args, cls.emulator_env)
        # a class cleanup also runs when a subclass's setUpClass fails after this point
        cls.addClassCleanup(cls._shutdown_emulator, cls.emu)
        cls.emu.start()
        cls.kinesis = cls.emu.client()
        cls.kinesis_unvalidated = cls.emu.client(validate=False)

    @classmethod
    def _shutdown_emulator(cls, emu):
        if emu.proc is None:
            return
        crashed = emu.proc.poll() is not None
        # idle keep-alive connections vs. SIGTERM is covered by test_persistence.SignalTest; here the
        # class's own clients hang up first so that one shutdown bug does not fail every class
        emu.close_clients()
        code = emu.proc.returncode if crashed else emu.stop()
        if crashed:
            raise AssertionError('emulator died during %s (exit code %r); stderr tail:\n%s'
                                 % (cls.__name__, code, emu.stderr_text()))
        if code != 0:
            raise AssertionError('emulator exited with %r on SIGTERM after %s; stderr tail:\n%s'
                                 % (code, cls.__name__, emu.stderr_text()))

    def assertAwsError(self, fn, code, message=None, status=400, message_regex=None, **kwargs):
        """Call fn(**kwargs); assert it raises ClientError with this __type, status and message."""
        with self.assertRaises(ClientError) as cm:
            fn(**kwargs)
        resp = cm.exception.response
        self.assertEqual(resp['Error']['Code'], code, 'wrong error type: %r' % (resp,))
        self.assertEqual(resp['ResponseMetadata']['HTTPStatusCode'], status, 'wrong HTTP status: %r' % (resp,))
        if message is not None:
            self.assertEqual(resp['Error'].get('Message'), message)
        if message_regex is not None:
            self.assertRegex(resp['Error'].get('Message', ''), message_regex)
        return cm.exception

    def not_found_message(self, name, account=DEFAULT_ACCOUNT):
        return 'Stream %s under account %s not found.' % (name, account)
