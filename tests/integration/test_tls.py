"""TLS on the emulator's port: --tls (self-signed certificate made at start) and --tls-cert/--tls-key.

boto3 with verify=False and with verify=<the printed certificate> (which proves the SAN), ALPN (h2 preferred,
http/1.1), an HTTP/2 request over TLS (curl --http2), plaintext sent to the TLS port, the admin API over TLS,
the AWS CLI (--no-verify-ssl, --ca-bundle), user-supplied certificate files and the start-up errors."""

import base64
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import unittest
import warnings

import botocore.exceptions
from urllib3.exceptions import InsecureRequestWarning

from emulator_process import (DEFAULT_ACCESS_KEY, EmulatorProcess, EmulatorTestCase, SECRET_KEY, binary_path,
                              create_stream, read_shard, shard_id, sign_headers, unique_name)

AWS = shutil.which('aws')
CURL = shutil.which('curl')
OPENSSL = shutil.which('openssl')


def curl_has_http2():
    if CURL is None:
        return False
    out = subprocess.run([CURL, '--version'], capture_output=True, text=True).stdout
    return 'HTTP2' in out


def tls_context(cafile=None, alpn=None):
    """A client context that trusts cafile (or nothing is checked when cafile is None)."""
    ctx = ssl.create_default_context(cafile=cafile) if cafile else ssl._create_unverified_context()
    if alpn is not None:
        ctx.set_alpn_protocols(alpn)
    return ctx


def https_get(port, path, cafile, host='127.0.0.1'):
    conn = http.client.HTTPSConnection(host, port, timeout=10, context=tls_context(cafile))
    try:
        conn.request('GET', path)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


class TlsGeneratedCertificateTest(EmulatorTestCase):
    emulator_args = ('--tls',)

    def setUp(self):
        warnings.simplefilter('ignore', InsecureRequestWarning)

    def test_ready_line_is_https_and_the_certificate_paths_are_printed(self):
        self.assertRegex(self.emu.ready_line, r'^kinesis-emulator ready on https://127\.0\.0\.1:\d+$')
        self.assertTrue(self.emu.tls_cert and os.path.isfile(self.emu.tls_cert), self.emu.stdout_lines)
        keys = [l.split(': ', 1)[1] for l in self.emu.stdout_lines if l.startswith('kinesis-emulator TLS key: ')]
        self.assertEqual(len(keys), 1, self.emu.stdout_lines)
        self.assertEqual(os.stat(keys[0]).st_mode & 0o777, 0o600)
        with open(self.emu.tls_cert) as f:
            self.assertIn('-----BEGIN CERTIFICATE-----', f.read())

    def test_boto3_without_verification_creates_puts_and_gets(self):
        client = self.emu.client(verify=False)
        name = unique_name('tls')
        create_stream(client, name, shard_count=1)
        put = client.put_record(StreamName=name, PartitionKey='pk', Data=b'over-tls')
        self.assertEqual(put['ShardId'], shard_id(0))
        records = read_shard(client, name, shard_id(0))
        self.assertEqual([r['Data'] for r in records], [b'over-tls'])

    def test_boto3_verifies_the_server_against_the_printed_certificate(self):
        client = self.emu.client(verify=self.emu.tls_cert)
        name = unique_name('tlsv')
        create_stream(client, name, shard_count=1)
        self.assertIn(name, client.list_streams()['StreamNames'])
        # the same certificate names localhost too
        session_client = self.emu._session.client(
            'kinesis', region_name='us-east-1', endpoint_url='https://localhost:%d' % self.emu.port,
            aws_access_key_id=DEFAULT_ACCESS_KEY, aws_secret_access_key=SECRET_KEY, verify=self.emu.tls_cert)
        self.assertIn(name, session_client.list_streams()['StreamNames'])
        session_client.close()

    def test_boto3_with_the_default_trust_store_refuses_the_self_signed_certificate(self):
        client = self.emu.client(verify=True)
        with self.assertRaises(botocore.exceptions.SSLError):
            client.list_streams()

    def test_alpn_prefers_h2_and_falls_back_to_http11(self):
        for offer, expected in ((['h2', 'http/1.1'], 'h2'), (['http/1.1', 'h2'], 'h2'), (['http/1.1'], 'http/1.1'),
                                (None, None)):
            ctx = tls_context(self.emu.tls_cert, offer)
            with socket.create_connection(('127.0.0.1', self.emu.port), timeout=10) as raw:
                with ctx.wrap_socket(raw, server_hostname='127.0.0.1') as tls:
                    self.assertEqual(tls.selected_alpn_protocol(), expected, offer)
                    if expected == 'h2':
                        tls.sendall(b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' + b'\x00\x00\x00\x04\x00\x00\x00\x00\x00')
                        frame = tls.recv(9)
                        self.assertEqual(frame[3], 4, 'first server frame is SETTINGS')
                    else:
                        tls.sendall(b'GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
                        self.assertTrue(tls.recv(64).startswith(b'HTTP/1.1 200'))

    @unittest.skipUnless(curl_has_http2(), 'curl without HTTP/2')
    def test_http2_request_over_tls(self):
        name = unique_name('h2tls')
        create_stream(self.kinesis, name, shard_count=1)
        body = json.dumps({'StreamName': name, 'PartitionKey': 'k', 'Data': base64.b64encode(b'h2').decode()})
        headers = sign_headers(self.emu.port, body.encode(), target='Kinesis_20131202.PutRecord')
        cmd = [CURL, '-sS', '--http2', '--cacert', self.emu.tls_cert, '-o', '-', '-w', '\n%{http_code} %{http_version}',
               '-X', 'POST', '--data-binary', body]
        for k, v in headers.items():
            cmd += ['-H', '%s: %s' % (k, v)]
        cmd.append('https://127.0.0.1:%d/' % self.emu.port)
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        payload, status = out.stdout.rsplit('\n', 1)
        self.assertEqual(status, '200 2')
        self.assertEqual(json.loads(payload)['ShardId'], shard_id(0))
        self.assertEqual([r['Data'] for r in read_shard(self.kinesis, name, shard_id(0))], [b'h2'])

    def test_plaintext_to_the_tls_port_is_refused_and_the_server_keeps_serving(self):
        conn = http.client.HTTPConnection('127.0.0.1', self.emu.port, timeout=10)
        try:
            conn.request('POST', '/', body=b'{}', headers={'X-Amz-Target': 'Kinesis_20131202.ListStreams'})
            resp = conn.getresponse()
            self.assertEqual(resp.status, 400)
            self.assertIn(b'https://', resp.read())
        finally:
            conn.close()
        with socket.create_connection(('127.0.0.1', self.emu.port), timeout=10) as raw:
            raw.sendall(b'\x00' * 64)
            self.assertIn(raw.recv(4096)[:1], (b'', b'\x15'))  # closed, maybe after an alert (0x15)
        self.assertTrue(self.emu.running())
        self.assertIn('StreamNames', self.kinesis.list_streams())

    def test_admin_api_over_tls(self):
        status, body = https_get(self.emu.port, '/_emulator/health', self.emu.tls_cert)
        self.assertEqual(status, 200, body)
        self.kinesis.list_streams()
        status, body = https_get(self.emu.port, '/_emulator/calls?operation=ListStreams', self.emu.tls_cert)
        self.assertEqual(status, 200, body)
        self.assertIn(b'ListStreams', body)

    @unittest.skipUnless(curl_has_http2(), 'curl without HTTP/2')
    def test_admin_api_over_tls_http2(self):
        # curl picks h2 over TLS; the admin endpoint answers there as on HTTP/1.1.
        base = 'https://127.0.0.1:%d/_emulator/' % self.emu.port
        out = subprocess.run([CURL, '-sS', '--http2', '--cacert', self.emu.tls_cert, '-w', '\n%{http_code} %{http_version}',
                              '-X', 'POST', '-d', '{"plugin": "throttle", "count": 1}', base + 'faults'],
                             capture_output=True, text=True, timeout=30)
        self.assertEqual(out.returncode, 0, out.stderr)
        payload, status = out.stdout.rsplit('\n', 1)
        self.assertEqual(status, '201 2', out.stdout)
        rule = json.loads(payload)
        out = subprocess.run([CURL, '-sS', '--http2', '--cacert', self.emu.tls_cert, '-w', '\n%{http_code} %{http_version}',
                              '-X', 'DELETE', base + 'faults/' + rule['id']], capture_output=True, text=True, timeout=30)
        self.assertEqual(out.stdout.rsplit('\n', 1)[1], '204 2', out.stdout)

    @unittest.skipIf(AWS is None, 'aws CLI not on PATH')
    def test_aws_cli_with_no_verify_ssl_and_with_the_ca_bundle(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
        env.update({'AWS_ACCESS_KEY_ID': DEFAULT_ACCESS_KEY, 'AWS_SECRET_ACCESS_KEY': SECRET_KEY,
                    'AWS_DEFAULT_REGION': 'us-east-1', 'AWS_CONFIG_FILE': os.devnull,
                    'AWS_SHARED_CREDENTIALS_FILE': os.devnull, 'AWS_MAX_ATTEMPTS': '1', 'AWS_PAGER': '',
                    'PYTHONWARNINGS': 'ignore'})
        name = unique_name('tlscli')
        for flags in (['--no-verify-ssl'], ['--ca-bundle', self.emu.tls_cert]):
            cmd = [AWS] + flags + ['--endpoint-url', self.emu.endpoint, '--output', 'json', 'kinesis']
            proc = subprocess.run(cmd + ['list-streams'], env=env, capture_output=True, text=True, timeout=120)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertIn('StreamNames', json.loads(proc.stdout))
        proc = subprocess.run(cmd + ['create-stream', '--stream-name', name, '--shard-count', '1'], env=env,
                              capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(name, self.kinesis.list_streams()['StreamNames'])


@unittest.skipIf(OPENSSL is None, 'openssl CLI not on PATH')
class TlsUserCertificateTest(unittest.TestCase):
    """Certificates made with the openssl CLI, as a user would."""

    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix='kemu-tls-')
        cls.addClassCleanup(shutil.rmtree, cls.dir, True)
        cls.cert, cls.key = cls.make_pair('user')
        cls.other_cert, cls.other_key = cls.make_pair('other')

    @classmethod
    def make_pair(cls, stem):
        cert = os.path.join(cls.dir, stem + '-cert.pem')
        key = os.path.join(cls.dir, stem + '-key.pem')
        subprocess.run([OPENSSL, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
                        '-days', '2', '-subj', '/CN=localhost',
                        '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'],
                       check=True, capture_output=True, timeout=60)
        return cert, key

    def run_binary(self, *args, env=None):
        full_env = {k: v for k, v in os.environ.items() if not k.startswith('KINESIS_EMULATOR_')}
        full_env.update(env or {})
        return subprocess.run([binary_path(), '--port', '0'] + list(args), capture_output=True, text=True,
                              timeout=30, env=full_env, stdin=subprocess.DEVNULL)

    def check_serves(self, emu):
        self.assertEqual(emu.scheme, 'https')
        self.assertEqual(emu.tls_cert, self.cert)
        client = emu.client(verify=self.cert)
        name = unique_name('usr')
        create_stream(client, name, shard_count=1)
        client.put_record(StreamName=name, PartitionKey='k', Data=b'mine')
        self.assertEqual([r['Data'] for r in read_shard(client, name, shard_id(0))], [b'mine'])
        emu.close_clients()

    def test_flags_serve_the_given_certificate(self):
        with EmulatorProcess(['--tls-cert', self.cert, '--tls-key', self.key]) as emu:
            self.check_serves(emu)
            self.assertEqual(emu.stop(), 0)

    def test_environment_variables_serve_the_given_certificate(self):
        with EmulatorProcess(env={'KINESIS_EMULATOR_TLS_CERT': self.cert, 'KINESIS_EMULATOR_TLS_KEY': self.key}) as emu:
            self.check_serves(emu)

    def test_key_of_another_certificate_exits_nonzero(self):
        proc = self.run_binary('--tls-cert', self.cert, '--tls-key', self.other_key)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn('does not match the certificate', proc.stderr)
        self.assertNotIn('ready on', proc.stdout)

    def test_certificate_without_key_exits_nonzero(self):
        proc = self.run_binary('--tls-cert', self.cert)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn('--tls-cert needs --tls-key', proc.stderr)

    def test_unreadable_certificate_exits_nonzero(self):
        missing = os.path.join(self.dir, 'missing.pem')
        proc = self.run_binary('--tls-cert', missing, '--tls-key', self.key)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn('cannot read --tls-cert ' + missing, proc.stderr)

    def test_a_key_is_not_a_certificate(self):
        proc = self.run_binary('--tls-cert', self.key, '--tls-key', self.key)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn('is not a PEM certificate', proc.stderr)


if __name__ == '__main__':
    unittest.main()
