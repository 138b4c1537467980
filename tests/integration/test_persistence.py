"""Process lifecycle: SQLite persistence across kill -9 and restart, --create-streams, signals, config flags."""

import os
import shutil
import signal
import tempfile
import unittest

from botocore.exceptions import ClientError

from emulator_process import (READY_RE, EmulatorProcess, create_stream, list_all_shards, read_shard, shard_id,
                              stream_arn, unique_name, wait_until_gone)


class TempDirMixin:

    def setUp(self):
        super().setUp()
        self.tmpdir = tempfile.mkdtemp(prefix='kemu-test-')
        self.addCleanup(shutil.rmtree, self.tmpdir, True)
        self.procs = []
        self.addCleanup(self._stop_all)

    def _stop_all(self):
        for p in self.procs:
            if p.running():
                p.kill9()

    def start(self, *args, env=None):
        p = EmulatorProcess(args, env)
        self.procs.append(p)
        p.start()
        return p


class PersistenceTest(TempDirMixin, unittest.TestCase):

    def test_kill9_and_restart_keeps_everything(self):
        db = os.path.join(self.tmpdir, 'kinesis.db')
        emu = self.start('--data', db)
        c = emu.client()
        name = unique_name('persist')
        create_stream(c, name, shard_count=3)
        before = c.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']

        written = {}  # sequence number -> (shard, partition key, data)
        batch = [{'Data': b'batch-%03d\x00\xff' % i, 'PartitionKey': 'pk-%d' % i} for i in range(500)]
        resp = c.put_records(StreamName=name, Records=batch)
        self.assertEqual(resp['FailedRecordCount'], 0)
        for entry, result in zip(batch, resp['Records']):
            written[result['SequenceNumber']] = (result['ShardId'], entry['PartitionKey'], entry['Data'])
        for i in range(5):
            data, pk = b'single-%d' % i, 'single-%d' % i
            r = c.put_record(StreamName=name, Data=data, PartitionKey=pk)
            written[r['SequenceNumber']] = (r['ShardId'], pk, data)
        self.assertEqual(len(written), 505)

        self.assertEqual(emu.kill9(), -signal.SIGKILL)

        emu2 = self.start('--data', db)
        c2 = emu2.client()
        after = c2.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
        self.assertEqual(after['StreamStatus'], 'ACTIVE')
        self.assertEqual(after['StreamARN'], before['StreamARN'])
        self.assertEqual(after['OpenShardCount'], 3)
        self.assertEqual(after['StreamCreationTimestamp'], before['StreamCreationTimestamp'])
        self.assertIn(name, c2.list_streams()['StreamNames'])

        shards = list_all_shards(c2, name)
        self.assertEqual([s['ShardId'] for s in shards], [shard_id(i) for i in range(3)])
        read = []
        last_seq = {}
        for s in shards:
            recs = read_shard(c2, name, s['ShardId'])
            seqs = [int(r['SequenceNumber']) for r in recs]
            self.assertEqual(seqs, sorted(seqs), 'shard %s out of order after restart' % s['ShardId'])
            if seqs:
                last_seq[s['ShardId']] = seqs[-1]
            read += [(r['SequenceNumber'], (s['ShardId'], r['PartitionKey'], r['Data'])) for r in recs]
        self.assertEqual(len(read), 505, 'every record exactly once')
        self.assertEqual(dict(read), written)

        # new records after the restart get larger sequence numbers than anything before
        for s in shards:
            r = c2.put_record(StreamName=name, Data=b'after-restart', PartitionKey='x',
                              ExplicitHashKey=s['HashKeyRange']['StartingHashKey'])
            self.assertEqual(r['ShardId'], s['ShardId'])
            self.assertGreater(int(r['SequenceNumber']), last_seq.get(s['ShardId'], 0))
            self.assertNotIn(r['SequenceNumber'], written)

    def test_graceful_stop_and_restart(self):
        db = os.path.join(self.tmpdir, 'graceful.db')
        emu = self.start('--data', db)
        c = emu.client()
        name = unique_name('graceful')
        create_stream(c, name, shard_count=1)
        seq = c.put_record(StreamName=name, Data=b'kept', PartitionKey='k')['SequenceNumber']
        emu.close_clients()
        self.assertEqual(emu.stop(), 0)
        emu2 = self.start('--data', db)
        recs = read_shard(emu2.client(), name, shard_id(0))
        self.assertEqual([(r['SequenceNumber'], r['Data']) for r in recs], [(seq, b'kept')])

    def test_account_settings_survive_a_restart(self):
        # UpdateAccountSettings is stored with the streams: after kill -9 the commitment is still on, with its
        # timestamps, and the 24 h minimum still applies to turning it off.
        db = os.path.join(self.tmpdir, 'account.db')
        emu = self.start('--data', db)
        on = emu.client().update_account_settings(MinimumThroughputBillingCommitment={'Status': 'ENABLED'})[
            'MinimumThroughputBillingCommitment']
        self.assertEqual(on['Status'], 'ENABLED')
        emu.close_clients()
        emu.kill9()
        emu2 = self.start('--data', db)
        c = emu2.client()
        kept = c.describe_account_settings()['MinimumThroughputBillingCommitment']
        self.assertEqual(kept['Status'], 'ENABLED')
        self.assertEqual(kept['StartedAt'], on['StartedAt'])
        self.assertEqual(kept['EarliestAllowedEndAt'], on['EarliestAllowedEndAt'])
        off = c.update_account_settings(MinimumThroughputBillingCommitment={'Status': 'DISABLED'})[
            'MinimumThroughputBillingCommitment']
        self.assertEqual(off['Status'], 'ENABLED_UNTIL_EARLIEST_ALLOWED_END')
        emu2.close_clients()
        self.assertEqual(emu2.stop(), 0)
        emu3 = self.start('--data', db)
        again = emu3.client().describe_account_settings()['MinimumThroughputBillingCommitment']
        self.assertEqual(again['Status'], 'ENABLED_UNTIL_EARLIEST_ALLOWED_END')
        # In memory (no --data) nothing is kept, as before.
        emu4 = self.start()
        self.assertEqual(emu4.client().describe_account_settings()['MinimumThroughputBillingCommitment']['Status'],
                         'DISABLED')

    def test_deleted_stream_stays_deleted(self):
        db = os.path.join(self.tmpdir, 'deleted.db')
        emu = self.start('--data', db)
        c = emu.client()
        name = unique_name('deleted')
        create_stream(c, name, shard_count=1)
        c.delete_stream(StreamName=name)
        wait_until_gone(c, name)
        emu.kill9()
        c2 = self.start('--data', db).client()
        with self.assertRaises(ClientError) as cm:
            c2.describe_stream_summary(StreamName=name)
        self.assertEqual(cm.exception.response['Error']['Code'], 'ResourceNotFoundException')

    def test_in_memory_by_default(self):
        emu = self.start()
        c = emu.client()
        name = unique_name('mem')
        create_stream(c, name, shard_count=1)
        emu.close_clients()
        self.assertEqual(emu.stop(), 0)
        c2 = self.start().client()
        self.assertNotIn(name, c2.list_streams()['StreamNames'])

    def test_data_via_env(self):
        db = os.path.join(self.tmpdir, 'env.db')
        emu = self.start(env={'KINESIS_EMULATOR_DATA': db})
        name = unique_name('envdata')
        create_stream(emu.client(), name, shard_count=1)
        emu.kill9()
        self.assertTrue(os.path.exists(db))
        c2 = self.start('--data', db).client()
        self.assertEqual(c2.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']['StreamStatus'],
                         'ACTIVE')


class StartupTest(TempDirMixin, unittest.TestCase):

    def test_ready_line(self):
        emu = self.start()
        self.assertRegex(emu.ready_line, READY_RE)
        self.assertEqual(emu.stdout_lines[0], emu.ready_line)
        self.assertEqual(emu.host, '127.0.0.1')
        self.assertNotEqual(emu.port, 0)
        self.assertIn('StreamNames', emu.client().list_streams())

    def test_create_streams_active_before_ready(self):
        emu = self.start('--create-streams', 'alpha:3,beta,gamma:1')
        c = emu.client()
        # no waiting: the streams exist and are ACTIVE the moment the ready line is printed
        a = c.describe_stream_summary(StreamName='alpha')['StreamDescriptionSummary']
        self.assertEqual(a['StreamStatus'], 'ACTIVE')
        self.assertEqual(a['OpenShardCount'], 3)
        b = c.describe_stream_summary(StreamName='beta')['StreamDescriptionSummary']
        self.assertEqual(b['StreamStatus'], 'ACTIVE')
        self.assertGreaterEqual(b['OpenShardCount'], 1)
        g = c.describe_stream_summary(StreamName='gamma')['StreamDescriptionSummary']
        self.assertEqual(g['StreamStatus'], 'ACTIVE')
        self.assertEqual(g['OpenShardCount'], 1)
        self.assertEqual(c.list_streams()['StreamNames'], ['alpha', 'beta', 'gamma'])
        r = c.put_record(StreamName='alpha', Data=b'x', PartitionKey='k')
        self.assertIn(r['ShardId'], [shard_id(i) for i in range(3)])

    def test_create_streams_via_env(self):
        emu = self.start(env={'KINESIS_EMULATOR_CREATE_STREAMS': 'fromenv:2'})
        s = emu.client().describe_stream_summary(StreamName='fromenv')['StreamDescriptionSummary']
        self.assertEqual(s['StreamStatus'], 'ACTIVE')
        self.assertEqual(s['OpenShardCount'], 2)

    def test_create_streams_with_existing_data_file(self):
        db = os.path.join(self.tmpdir, 'pre.db')
        emu = self.start('--data', db, '--create-streams', 'keep:2')
        c = emu.client()
        seq = c.put_record(StreamName='keep', Data=b'v1', PartitionKey='k', ExplicitHashKey='0')['SequenceNumber']
        emu.kill9()
        # restarting with the same --create-streams must not fail or wipe the existing stream
        c2 = self.start('--data', db, '--create-streams', 'keep:2').client()
        recs = read_shard(c2, 'keep', shard_id(0))
        self.assertEqual([r['SequenceNumber'] for r in recs], [seq])

    def test_account_id_flag(self):
        emu = self.start('--account-id', '111111111111', '--create-streams', 'acct-stream:1')
        c = emu.client()  # non-numeric access key -> configured default account
        s = c.describe_stream_summary(StreamName='acct-stream')['StreamDescriptionSummary']
        self.assertEqual(s['StreamARN'], stream_arn('acct-stream', account='111111111111'))
        name = unique_name('acct')
        with self.assertRaises(ClientError) as cm:
            c.describe_stream_summary(StreamName=name)
        self.assertEqual(cm.exception.response['Error']['Message'],
                         'Stream %s under account 111111111111 not found.' % name)

    def test_account_id_via_env(self):
        emu = self.start(env={'KINESIS_EMULATOR_ACCOUNT_ID': '222222222222'})
        c = emu.client()
        name = unique_name('envacct')
        create_stream(c, name, shard_count=1)
        self.assertEqual(c.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']['StreamARN'],
                         stream_arn(name, account='222222222222'))

    def test_port_via_env(self):
        emu = EmulatorProcess(env={'KINESIS_EMULATOR_PORT': '0', 'KINESIS_EMULATOR_HOST': '127.0.0.1'},
                              default_flags=False)
        self.procs.append(emu)
        emu.start()
        self.assertNotEqual(emu.port, 4567)
        self.assertIn('StreamNames', emu.client().list_streams())

    def test_flag_overrides_env(self):
        emu = self.start('--account-id', '333333333333', env={'KINESIS_EMULATOR_ACCOUNT_ID': '444444444444'})
        c = emu.client()
        name = unique_name('override')
        create_stream(c, name, shard_count=1)
        self.assertEqual(c.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']['StreamARN'],
                         stream_arn(name, account='333333333333'))

    def test_log_level_flag(self):
        emu = self.start('--log-level', 'debug')
        self.assertIn('StreamNames', emu.client().list_streams())
        emu.close_clients()
        self.assertEqual(emu.stop(), 0)

    def test_bad_flag_fails(self):
        emu = EmulatorProcess(['--no-such-flag'])
        with self.assertRaises(RuntimeError):
            emu.start(timeout=10)
        self.assertIsNotNone(emu.proc.poll())
        self.assertNotEqual(emu.proc.returncode, 0)


class SignalTest(TempDirMixin, unittest.TestCase):

    def test_sigterm_exits_zero(self):
        emu = self.start()
        emu.client().list_streams()
        emu.close_clients()
        self.assertEqual(emu.stop(timeout=10), 0)

    def test_sigint_exits_zero(self):
        emu = self.start()
        emu.client().list_streams()
        emu.close_clients()
        self.assertEqual(emu.send_signal(signal.SIGINT, timeout=10), 0)

    def test_sigterm_with_idle_keepalive_connection(self):
        # an idle keep-alive client connection (every SDK keeps one) must not block shutdown
        import http.client
        emu = self.start()
        conn = http.client.HTTPConnection('127.0.0.1', emu.port, timeout=10)
        try:
            resp = emu.raw(operation='ListStreams', body={}, connection=conn)
            self.assertEqual(resp.status, 200)
            self.assertEqual(emu.stop(timeout=10), 0)
        finally:
            conn.close()

    def test_sigterm_with_data_file_exits_zero(self):
        db = os.path.join(self.tmpdir, 'sig.db')
        emu = self.start('--data', db)
        create_stream(emu.client(), unique_name('sig'), shard_count=1)
        emu.close_clients()
        self.assertEqual(emu.stop(timeout=10), 0)


if __name__ == '__main__':
    unittest.main()
