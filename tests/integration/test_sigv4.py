"""--auth strict: SigV4 signatures verified, as AWS verifies them (boto3 and a stdlib signer)."""
import datetime
import hashlib
import hmac
import http.client
import json
import os
import sys
import unittest
import urllib.parse

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emulator_process import EmulatorProcess  # noqa: E402

GOOD = ('AKIAGOODKEY0000', 'good-secret')
ACCOUNT_KEY = ('123456789012', 'account-secret')


def sign(port, body, access_key, secret, when, target='Kinesis_20131202.ListStreams', presign=False, token=None):
    """A request signed with SigV4 by an independent (stdlib) implementation. Returns (path, headers)."""
    amz_date = when.strftime('%Y%m%dT%H%M%SZ')
    date = amz_date[:8]
    scope = '%s/us-east-1/kinesis/aws4_request' % date
    host = '127.0.0.1:%d' % port
    headers = {'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target, 'Host': host}
    query = {}
    if presign:
        query = {'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': '%s/%s' % (access_key, scope),
                 'X-Amz-Date': amz_date, 'X-Amz-Expires': '300', 'X-Amz-SignedHeaders': 'host;x-amz-target'}
        signed = ['host', 'x-amz-target']
    else:
        headers['X-Amz-Date'] = amz_date
        if token:
            headers['X-Amz-Security-Token'] = token
        signed = sorted(['host', 'x-amz-date', 'x-amz-target'] + (['x-amz-security-token'] if token else []))
    lower = {k.lower(): v for k, v in headers.items()}
    canonical_query = '&'.join('%s=%s' % (urllib.parse.quote(k, safe='-_.~'), urllib.parse.quote(v, safe='-_.~'))
                               for k, v in sorted(query.items()))
    canonical = '\n'.join(['POST', '/', canonical_query,
                           ''.join('%s:%s\n' % (h, lower[h]) for h in signed), ';'.join(signed),
                           hashlib.sha256(body).hexdigest()])
    to_sign = '\n'.join(['AWS4-HMAC-SHA256', amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ('AWS4' + secret).encode()
    for part in (date, 'us-east-1', 'kinesis', 'aws4_request'):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    path = '/'
    if presign:
        query['X-Amz-Signature'] = signature
        path = '/?' + urllib.parse.urlencode(query, quote_via=urllib.parse.quote, safe='-_.~')
    else:
        headers['Authorization'] = 'AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s' % (
            access_key, scope, ';'.join(signed), signature)
    return path, headers


class StrictAuthTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.emu = EmulatorProcess(extra_args=['--auth', 'strict', '--credentials', '%s:%s,%s:%s' % (GOOD + ACCOUNT_KEY)])
        cls.emu.start()

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def client(self, key, secret, token=None):
        return boto3.client('kinesis', endpoint_url=self.emu.endpoint, region_name='us-east-1',
                            aws_access_key_id=key, aws_secret_access_key=secret, aws_session_token=token,
                            config=Config(retries={'total_max_attempts': 1, 'mode': 'standard'}))

    def raw(self, path, headers, body):
        conn = http.client.HTTPConnection('127.0.0.1', self.emu.port, timeout=10)
        try:
            conn.request('POST', path, body=body, headers=headers)
            resp = conn.getresponse()
            return resp.status, json.loads(resp.read() or b'{}')
        finally:
            conn.close()

    def assertError(self, call, code, message=None):
        with self.assertRaises(ClientError) as cm:
            call()
        err = cm.exception.response
        self.assertEqual(err['Error']['Code'], code)
        self.assertEqual(err['ResponseMetadata']['HTTPStatusCode'], 400)
        if message is not None:
            self.assertEqual(err['Error']['Message'], message)

    def test_boto3_with_the_right_secret_passes(self):
        c = self.client(*GOOD)
        c.create_stream(StreamName='signed', ShardCount=1)
        self.assertIn('signed', c.list_streams()['StreamNames'])
        c.put_record(StreamName='signed', Data=b'x', PartitionKey='k')

    def test_session_tokens_are_accepted(self):
        self.assertIn('StreamNames', self.client(*GOOD, token='FQoGZXIvYXdzEXAMPLETOKEN').list_streams())

    def test_a_twelve_digit_key_selects_its_account(self):
        c = self.client(*ACCOUNT_KEY)
        c.create_stream(StreamName='acct', ShardCount=1)
        arn = c.describe_stream_summary(StreamName='acct')['StreamDescriptionSummary']['StreamARN']
        self.assertEqual(arn, 'arn:aws:kinesis:us-east-1:123456789012:stream/acct')

    def test_wrong_secret(self):
        self.assertError(self.client(GOOD[0], 'wrong').list_streams, 'InvalidSignatureException',
                         'The request signature we calculated does not match the signature you provided. Check your '
                         'AWS Secret Access Key and signing method. Consult the service documentation for details.')

    def test_unknown_key(self):
        self.assertError(self.client('AKIAUNKNOWN00000', 'x').list_streams, 'UnrecognizedClientException',
                         'The security token included in the request is invalid.')

    def test_independent_signer_agrees_and_tampering_is_caught(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        path, headers = sign(self.emu.port, b'{}', *GOOD, now)
        self.assertEqual(self.raw(path, headers, b'{}')[0], 200)
        status, body = self.raw(path, headers, b'{"Limit":1}')  # body changed after signing
        self.assertEqual((status, body['__type']), (400, 'InvalidSignatureException'))

    def test_stale_and_future_dates(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        path, headers = sign(self.emu.port, b'{}', *GOOD, now - datetime.timedelta(minutes=6))
        status, body = self.raw(path, headers, b'{}')
        self.assertEqual((status, body['__type']), (400, 'InvalidSignatureException'))
        self.assertRegex(body['message'], r'^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z '
                                          r'\(\d{8}T\d{6}Z - 5 min\.\)$')
        path, headers = sign(self.emu.port, b'{}', *GOOD, now + datetime.timedelta(minutes=6))
        status, body = self.raw(path, headers, b'{}')
        self.assertRegex(body['message'], r'^Signature not yet current: ')

    def test_presigned_query_form(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        path, headers = sign(self.emu.port, b'{}', *GOOD, now, presign=True)
        self.assertNotIn('Authorization', headers)
        self.assertEqual(self.raw(path, headers, b'{}')[0], 200)
        bad = path.replace('X-Amz-Signature=', 'X-Amz-Signature=0')
        status, body = self.raw(bad, headers, b'{}')
        self.assertEqual((status, body['__type']), (400, 'InvalidSignatureException'))

    def test_admin_endpoint_is_never_signed(self):
        conn = http.client.HTTPConnection('127.0.0.1', self.emu.port, timeout=10)
        conn.request('GET', '/_emulator/faults')
        self.assertEqual(conn.getresponse().status, 200)
        conn.close()


class LenientByDefaultTest(unittest.TestCase):
    def test_any_secret_works_without_strict(self):
        with EmulatorProcess() as emu:
            c = boto3.client('kinesis', endpoint_url=emu.endpoint, region_name='us-east-1',
                             aws_access_key_id='anything', aws_secret_access_key='whatever')
            self.assertIn('StreamNames', c.list_streams())


if __name__ == '__main__':
    unittest.main()
