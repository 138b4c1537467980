"""The AWS CLI (v1) against the emulator: `aws --endpoint-url ... kinesis ...`, JSON output parsed."""

import base64
import json
import os
import shutil
import subprocess
import unittest

from emulator_process import DEFAULT_ACCOUNT, EmulatorTestCase, shard_id, stream_arn, unique_name, wait_for_status

AWS = shutil.which('aws')


@unittest.skipIf(AWS is None, 'aws CLI not on PATH')
class CliTest(EmulatorTestCase):

    def aws(self, *args, region='us-east-1', access_key='AKIAEXAMPLE', check=True):
        env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
        env.update({
            'AWS_ACCESS_KEY_ID': access_key,
            'AWS_SECRET_ACCESS_KEY': 'fake-secret-key',
            'AWS_DEFAULT_REGION': region,
            'AWS_CONFIG_FILE': os.devnull,
            'AWS_SHARED_CREDENTIALS_FILE': os.devnull,
            'AWS_RETRY_MODE': 'standard',
            'AWS_MAX_ATTEMPTS': '1',
            'AWS_PAGER': '',
        })
        cmd = [AWS, '--endpoint-url', self.emu.endpoint, '--output', 'json', 'kinesis'] + list(args)
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        if check:
            self.assertEqual(proc.returncode, 0, 'aws %s failed: %s %s' % (' '.join(args), proc.stdout, proc.stderr))
        return proc

    def aws_json(self, *args, **kw):
        proc = self.aws(*args, **kw)
        return json.loads(proc.stdout) if proc.stdout.strip() else None

    def test_stream_round_trip(self):
        name = unique_name('cli')
        out = self.aws('create-stream', '--stream-name', name, '--shard-count', '2')
        self.assertEqual(out.stdout.strip(), '')
        wait_for_status(self.kinesis, name)

        summary = self.aws_json('describe-stream-summary', '--stream-name', name)['StreamDescriptionSummary']
        self.assertEqual(summary['StreamName'], name)
        self.assertEqual(summary['StreamARN'], stream_arn(name))
        self.assertEqual(summary['StreamStatus'], 'ACTIVE')
        self.assertEqual(summary['OpenShardCount'], 2)
        self.assertEqual(summary['RetentionPeriodHours'], 24)
        self.assertNotIn('StreamId', summary)

        put = self.aws_json('put-record', '--stream-name', name, '--partition-key', 'pk-1', '--data', 'hello-cli')
        self.assertIn(put['ShardId'], (shard_id(0), shard_id(1)))
        self.assertRegex(put['SequenceNumber'], r'^\d+$')

        it = self.aws_json('get-shard-iterator', '--stream-name', name, '--shard-id', put['ShardId'],
                           '--shard-iterator-type', 'TRIM_HORIZON')['ShardIterator']
        self.assertTrue(it)
        recs = self.aws_json('get-records', '--shard-iterator', it)
        self.assertEqual(len(recs['Records']), 1)
        rec = recs['Records'][0]
        self.assertEqual(rec['SequenceNumber'], put['SequenceNumber'])
        self.assertEqual(rec['PartitionKey'], 'pk-1')
        self.assertEqual(base64.b64decode(rec['Data']), b'hello-cli')
        self.assertIn('NextShardIterator', recs)
        self.assertEqual(recs['MillisBehindLatest'], 0)

        it2 = self.aws_json('get-shard-iterator', '--stream-name', name, '--shard-id', put['ShardId'],
                            '--shard-iterator-type', 'AT_SEQUENCE_NUMBER',
                            '--starting-sequence-number', put['SequenceNumber'])['ShardIterator']
        self.assertEqual([r['SequenceNumber'] for r in self.aws_json('get-records', '--shard-iterator', it2,
                                                                     '--limit', '1')['Records']],
                         [put['SequenceNumber']])

    def test_quoted_iterator_pasted_from_query_output(self):
        # `--query ShardIterator` without `--output text` prints the iterator in double quotes; AWS takes it
        # back as it is (localstack/localstack#9884, checked against AWS)
        name = unique_name('cli-quoted')
        self.aws('create-stream', '--stream-name', name, '--shard-count', '1')
        wait_for_status(self.kinesis, name)
        self.aws('put-record', '--stream-name', name, '--partition-key', 'k', '--data', 'quoted')
        printed = self.aws('get-shard-iterator', '--stream-name', name, '--shard-id', shard_id(0),
                           '--shard-iterator-type', 'TRIM_HORIZON', '--query', 'ShardIterator').stdout.strip()
        self.assertTrue(printed.startswith('"') and printed.endswith('"'), printed)
        recs = self.aws_json('get-records', '--shard-iterator', printed)['Records']
        self.assertEqual([base64.b64decode(r['Data']) for r in recs], [b'quoted'])

    def test_list_streams(self):
        names = sorted(unique_name('cli-ls') for _ in range(3))
        for n in names:
            self.aws('create-stream', '--stream-name', n, '--shard-count', '1')
        for n in names:
            wait_for_status(self.kinesis, n)
        out = self.aws_json('list-streams')
        for n in names:
            self.assertIn(n, out['StreamNames'])
        self.assertEqual(out['StreamNames'], sorted(out['StreamNames']))
        # paginated by the CLI itself, one stream per page
        paged = self.aws_json('list-streams', '--page-size', '1')
        self.assertEqual(paged['StreamNames'], out['StreamNames'])

    def test_list_shards_and_describe_stream(self):
        name = unique_name('cli-shards')
        self.aws('create-stream', '--stream-name', name, '--shard-count', '3')
        wait_for_status(self.kinesis, name)
        shards = self.aws_json('list-shards', '--stream-name', name)['Shards']
        self.assertEqual([s['ShardId'] for s in shards], [shard_id(i) for i in range(3)])
        desc = self.aws_json('describe-stream', '--stream-name', name)['StreamDescription']
        self.assertEqual(len(desc['Shards']), 3)
        self.assertEqual(desc['EnhancedMonitoring'], [{'ShardLevelMetrics': []}])

    def test_put_records(self):
        name = unique_name('cli-batch')
        self.aws('create-stream', '--stream-name', name, '--shard-count', '1')
        wait_for_status(self.kinesis, name)
        records = json.dumps([{'Data': 'one', 'PartitionKey': 'a'}, {'Data': 'two', 'PartitionKey': 'b'}])
        out = self.aws_json('put-records', '--stream-name', name, '--records', records)
        self.assertEqual(out['FailedRecordCount'], 0)
        self.assertEqual(len(out['Records']), 2)
        got = self.kinesis.get_records(ShardIterator=self.kinesis.get_shard_iterator(
            StreamName=name, ShardId=shard_id(0), ShardIteratorType='TRIM_HORIZON')['ShardIterator'])['Records']
        self.assertEqual([r['Data'] for r in got], [b'one', b'two'])

    def test_wait_stream_exists(self):
        name = unique_name('cli-wait')
        self.aws('create-stream', '--stream-name', name, '--shard-count', '1')
        wait_for_status(self.kinesis, name)
        self.aws('wait', 'stream-exists', '--stream-name', name)

    def test_region_flag(self):
        name = unique_name('cli-eu')
        self.aws('create-stream', '--stream-name', name, '--shard-count', '1', region='eu-west-1')
        wait_for_status(self.emu.client(region='eu-west-1'), name)
        summary = self.aws_json('describe-stream-summary', '--stream-name', name,
                                region='eu-west-1')['StreamDescriptionSummary']
        self.assertEqual(summary['StreamARN'], stream_arn(name, region='eu-west-1'))
        missing = self.aws('describe-stream-summary', '--stream-name', name, check=False)
        self.assertIn(missing.returncode, (254, 255))
        self.assertIn('ResourceNotFoundException', missing.stderr)

    def test_error_not_found(self):
        name = unique_name('cli-missing')
        proc = self.aws('describe-stream-summary', '--stream-name', name, check=False)
        self.assertIn(proc.returncode, (254, 255), proc)
        self.assertEqual(proc.stdout.strip(), '')
        self.assertIn('ResourceNotFoundException', proc.stderr)
        self.assertIn('Stream %s under account %s not found.' % (name, DEFAULT_ACCOUNT), proc.stderr)

    def test_error_already_exists(self):
        name = unique_name('cli-dup')
        self.aws('create-stream', '--stream-name', name, '--shard-count', '1')
        wait_for_status(self.kinesis, name)
        proc = self.aws('create-stream', '--stream-name', name, '--shard-count', '1', check=False)
        self.assertIn(proc.returncode, (254, 255), proc)
        self.assertIn('ResourceInUseException', proc.stderr)
        self.assertIn('Stream %s under account %s already exists.' % (name, DEFAULT_ACCOUNT), proc.stderr)

    def test_error_validation(self):
        proc = self.aws('create-stream', '--stream-name', 'bad name', '--shard-count', '1', check=False)
        self.assertIn(proc.returncode, (254, 255), proc)
        self.assertIn('ValidationException', proc.stderr)

    def test_account_from_access_key(self):
        name = unique_name('cli-acct')
        self.aws('create-stream', '--stream-name', name, '--shard-count', '1', access_key='210987654321')
        wait_for_status(self.emu.client(access_key='210987654321'), name)
        summary = self.aws_json('describe-stream-summary', '--stream-name', name,
                                access_key='210987654321')['StreamDescriptionSummary']
        self.assertEqual(summary['StreamARN'], stream_arn(name, account='210987654321'))


if __name__ == '__main__':
    unittest.main()
