"""Admin endpoint safety: loopback by default, --admin-token enforced, --no-admin / KINESIS_EMULATOR_NO_ADMIN."""

import unittest

from emulator_process import EmulatorProcess, create_stream, unique_name

ADMIN_CALLS = [
    ('GET', 'faults', None),
    ('POST', 'faults', {'plugin': 'throttle'}),
    ('DELETE', 'faults', None),
    ('GET', 'faults/1', None),
    ('POST', 'reset', None),
    ('GET', 'plugins', None),
    ('GET', 'clock', None),
    ('POST', 'clock', {'advance_ms': 1000}),
    ('GET', 'calls', None),
    ('GET', '/_emulator', None),
    ('PUT', 'anything/else', None),
]


class AdminSafetyTest(unittest.TestCase):

    def setUp(self):
        self.procs = []
        self.addCleanup(self._stop_all)

    def _stop_all(self):
        for p in self.procs:
            if p.running():
                p.kill9()

    def start(self, *args, env=None, default_flags=True):
        p = EmulatorProcess(args, env, default_flags=default_flags)
        self.procs.append(p)
        return p.start()

    def test_listens_on_loopback_by_default(self):
        emu = self.start('--port', '0', default_flags=False)
        self.assertEqual(emu.host, '127.0.0.1')
        self.assertEqual(emu.admin('GET', 'health').status, 200)

    def test_admin_on_by_default(self):
        emu = self.start()
        self.assertEqual(emu.admin('GET', 'faults').status, 200)
        self.assertEqual(emu.admin('POST', 'faults', {'plugin': 'throttle', 'count': 1}).status, 201)

    def _assert_admin_off(self, emu):
        health = emu.admin('GET', 'health')
        self.assertEqual(health.status, 200)
        self.assertEqual(health.json()['status'], 'ok')
        for method, path, body in ADMIN_CALLS:
            resp = emu.admin(method, path, body)
            self.assertEqual(resp.status, 404, (method, path, resp))
            self.assertEqual(resp.json()['error'], 'AdminDisabled', (method, path, resp))
        # the Kinesis API is untouched, and nothing the refused calls asked for happened
        c = emu.client()
        name = unique_name('noadmin')
        create_stream(c, name, shard_count=1)
        for _ in range(3):
            c.put_record(StreamName=name, Data=b'x', PartitionKey='k')  # no throttle rule was added
        self.assertIn(name, c.list_streams()['StreamNames'])          # no reset happened

    def test_no_admin_flag(self):
        self._assert_admin_off(self.start('--no-admin'))

    def test_no_admin_variable(self):
        self._assert_admin_off(self.start(env={'KINESIS_EMULATOR_NO_ADMIN': '1'}))

    def test_no_admin_with_token_still_off(self):
        emu = self.start('--no-admin', '--admin-token', 's3cret')
        resp = emu.admin('GET', 'faults', token='s3cret')
        self.assertEqual(resp.status, 404)
        self.assertEqual(resp.json()['error'], 'AdminDisabled')

    def test_admin_token_enforced(self):
        emu = self.start('--admin-token', 's3cret')
        self.assertEqual(emu.admin('GET', 'health').status, 200)
        for token in (None, 'wrong', 's3cre', 's3cret2'):
            resp = emu.admin('POST', 'reset', token=token)
            self.assertEqual(resp.status, 401, token)
            self.assertEqual(resp.json()['error'], 'Unauthorized')
        self.assertEqual(emu.admin('POST', 'reset', token='s3cret').status, 200)

    def test_clock_stays_in_range(self):
        # Clock values are subtracted in every expiry check: the admin clock may not be moved where that
        # overflows (undefined behaviour UBSan reported once the clock could be advanced by INT64_MAX).
        emu = self.start()
        c = emu.client()
        name = unique_name('clock')
        create_stream(c, name, shard_count=1)
        it = c.get_shard_iterator(StreamName=name, ShardId='shardId-000000000000',
                                  ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        now = emu.admin('GET', 'clock').json()['now_ms']
        for body in ({'advance_ms': 2 ** 63 - 1}, {'advance_ms': -(2 ** 63)}, {'advance_ms': -(now + 10 ** 6)},
                     {'set_ms': 2 ** 63 - 1}, {'set_ms': 253402300800000},
                     {'set_ms': 253402300799999, 'advance_ms': 1}):
            resp = emu.admin('POST', 'clock', body)
            self.assertEqual(resp.status, 400, (body, resp))
            self.assertEqual(resp.json()['error'], 'InvalidClockRequest')
        self.assertLess(abs(emu.admin('GET', 'clock').json()['now_ms'] - now), 60000, 'a refused call moved it')
        # the far end of the range is allowed, and the API keeps answering there
        self.assertEqual(emu.admin('POST', 'clock', {'set_ms': 253402300799999}).status, 200)
        with self.assertRaises(Exception) as cm:
            c.get_records(ShardIterator=it)
        self.assertEqual(cm.exception.response['Error']['Code'], 'ExpiredIteratorException')
        self.assertEqual(emu.admin('POST', 'clock', {'set_ms': 0}).status, 200)
        c.put_record(StreamName=name, Data=b'x', PartitionKey='k')
        self.assertEqual(emu.stop(), 0)

    def test_deeply_nested_admin_body(self):
        # A fault rule whose params nested 200k levels deep overflowed a connection thread's stack (ASan:
        # stack-overflow; a plain build died of SIGSEGV) when the rule was copied and rendered.
        emu = self.start()
        deep = b'[' * 200000 + b']' * 200000
        for path, body, error in (
                ('faults', b'{"plugin":"latency","params":{"ms":5,"x":' + deep + b'}}', 'InvalidRule'),
                ('faults', b'{"plugin":"error","match":{"operation":' + deep + b'}}', 'InvalidRule'),
                ('clock', b'{"advance_ms":' + deep + b'}', 'InvalidClockRequest')):
            resp = emu.admin('POST', path, body)
            self.assertEqual(resp.status, 400, (path, resp))
            self.assertEqual(resp.json()['error'], error)
            self.assertIn('nests deeper than 64 levels', resp.json()['message'])
        # moderately nested params are still judged by the plugin, not by the scan
        resp = emu.admin('POST', 'faults', {'plugin': 'latency', 'params': {'ms': 1, 'x': [[[1]]]}})
        self.assertIn(resp.status, (201, 400))
        self.assertNotIn('nests deeper', resp.body.decode())
        self.assertEqual(emu.admin('GET', 'health').status, 200)
        self.assertEqual(emu.stop(), 0)


if __name__ == '__main__':
    unittest.main()
