"""Account- and stream-level settings: DescribeLimits, Describe/UpdateAccountSettings, UpdateStreamMode,
UpdateMaxRecordSize, UpdateStreamWarmThroughput, Enable/DisableEnhancedMonitoring, Put/Get/DeleteResourcePolicy,
and the lifecycle limits (streams in CREATING, state transitions)."""

import json
import time
import unittest

from emulator_process import DEFAULT_ACCOUNT, EmulatorTestCase, create_stream, stream_arn, unique_name

ALL_METRICS = ['IncomingBytes', 'IncomingRecords', 'OutgoingBytes', 'OutgoingRecords',
               'WriteProvisionedThroughputExceeded', 'ReadProvisionedThroughputExceeded', 'IteratorAgeMilliseconds']
POLICY = json.dumps({'Version': '2012-10-17', 'Statement': [{
    'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::111122223333:root'}, 'Action': 'kinesis:GetRecords',
    'Resource': '*'}]})


class LimitsAndSettingsTest(EmulatorTestCase):

    def test_describe_limits_counts(self):
        client = self.emu.client(access_key='444455556666')  # an account of its own
        self.assertEqual(client.describe_limits()['OpenShardCount'], 0)
        create_stream(client, unique_name('p'), shard_count=3)
        create_stream(client, unique_name('od'), mode='ON_DEMAND')
        limits = client.describe_limits()
        self.assertEqual((limits['ShardLimit'], limits['OpenShardCount'], limits['OnDemandStreamCount'],
                          limits['OnDemandStreamCountLimit']), (500, 7, 1, 50))
        other_region = self.emu.client(access_key='444455556666', region='ap-south-1').describe_limits()
        self.assertEqual((other_region['ShardLimit'], other_region['OpenShardCount']), (200, 0))

    def test_account_settings(self):
        client = self.emu.client(access_key='777788889999')
        self.assertEqual(client.describe_account_settings()['MinimumThroughputBillingCommitment'],
                         {'Status': 'DISABLED'})
        on = client.update_account_settings(MinimumThroughputBillingCommitment={'Status': 'ENABLED'})[
            'MinimumThroughputBillingCommitment']
        self.assertEqual(on['Status'], 'ENABLED')
        self.assertEqual((on['EarliestAllowedEndAt'] - on['StartedAt']).total_seconds(), 24 * 3600)
        self.assertEqual(client.describe_account_settings()['MinimumThroughputBillingCommitment']['Status'],
                         'ENABLED')
        off = client.update_account_settings(MinimumThroughputBillingCommitment={'Status': 'DISABLED'})[
            'MinimumThroughputBillingCommitment']
        self.assertEqual(off['Status'], 'ENABLED_UNTIL_EARLIEST_ALLOWED_END')
        self.assertEqual(off['EndedAt'], on['EarliestAllowedEndAt'])
        self.assertAwsError(self.emu.client(validate=False).update_account_settings, 'ValidationException',
                            MinimumThroughputBillingCommitment={'Status': 'MAYBE'})


class StreamSettingsTest(EmulatorTestCase):

    def setUp(self):
        self.name = unique_name('cfg')
        create_stream(self.kinesis, self.name, shard_count=2)
        self.arn = stream_arn(self.name)

    def summary(self):
        return self.kinesis.describe_stream_summary(StreamName=self.name)['StreamDescriptionSummary']

    def test_enhanced_monitoring(self):
        resp = self.kinesis.enable_enhanced_monitoring(StreamName=self.name, ShardLevelMetrics=['IncomingBytes'])
        self.assertEqual((resp['StreamName'], resp['StreamARN'], resp['CurrentShardLevelMetrics'],
                          resp['DesiredShardLevelMetrics']), (self.name, self.arn, [], ['IncomingBytes']))
        resp = self.kinesis.enable_enhanced_monitoring(StreamARN=self.arn, ShardLevelMetrics=['ALL'])
        self.assertEqual(resp['CurrentShardLevelMetrics'], ['IncomingBytes'])
        self.assertEqual(resp['DesiredShardLevelMetrics'], ALL_METRICS)
        self.assertEqual(self.summary()['EnhancedMonitoring'], [{'ShardLevelMetrics': ALL_METRICS}])
        resp = self.kinesis.disable_enhanced_monitoring(StreamName=self.name,
                                                        ShardLevelMetrics=['IncomingBytes', 'OutgoingBytes'])
        self.assertEqual(resp['DesiredShardLevelMetrics'],
                         [m for m in ALL_METRICS if m not in ('IncomingBytes', 'OutgoingBytes')])
        resp = self.kinesis.disable_enhanced_monitoring(StreamName=self.name, ShardLevelMetrics=['ALL'])
        self.assertEqual(resp['DesiredShardLevelMetrics'], [])
        self.assertEqual(self.kinesis.describe_stream(StreamName=self.name)['StreamDescription']
                         ['EnhancedMonitoring'], [{'ShardLevelMetrics': []}])
        self.assertAwsError(self.kinesis_unvalidated.enable_enhanced_monitoring, 'ValidationException',
                            StreamName=self.name, ShardLevelMetrics=['Bogus'])
        missing = unique_name('missing')
        self.assertAwsError(self.kinesis.enable_enhanced_monitoring, 'ResourceNotFoundException',
                            self.not_found_message(missing), StreamName=missing, ShardLevelMetrics=['ALL'])

    def test_update_max_record_size(self):
        big = b'x' * (1024 * 1024 + 10)
        self.assertAwsError(self.kinesis.put_record, 'ValidationException', StreamName=self.name,
                            PartitionKey='k', Data=big,
                            message_regex='Member must have length less than or equal to 1048576$')
        self.kinesis.update_max_record_size(StreamARN=self.arn, MaxRecordSizeInKiB=2048)
        self.assertEqual(self.summary()['MaxRecordSizeInKiB'], 2048)
        self.kinesis.put_record(StreamName=self.name, PartitionKey='k', Data=big)
        self.kinesis.put_records(StreamName=self.name, Records=[{'PartitionKey': 'k', 'Data': big}])
        self.assertAwsError(self.kinesis.put_record, 'ValidationException', StreamName=self.name, PartitionKey='k',
                            Data=b'x' * (2048 * 1024 + 1),
                            message_regex='Member must have length less than or equal to 2097152$')
        self.assertAwsError(self.kinesis_unvalidated.update_max_record_size, 'ValidationException',
                            StreamARN=self.arn, MaxRecordSizeInKiB=1023)
        self.assertAwsError(self.kinesis_unvalidated.update_max_record_size, 'ValidationException',
                            StreamARN=self.arn, MaxRecordSizeInKiB=10241)
        self.assertAwsError(self.kinesis.update_max_record_size, 'ResourceNotFoundException',
                            StreamARN=stream_arn(unique_name('missing')), MaxRecordSizeInKiB=2048)

    def test_update_stream_mode(self):
        self.kinesis.update_stream_mode(StreamARN=self.arn, StreamModeDetails={'StreamMode': 'ON_DEMAND'})
        self.assertEqual(self.summary()['StreamModeDetails'], {'StreamMode': 'ON_DEMAND'})
        self.assertEqual(self.summary()['OpenShardCount'], 2)
        self.assertAwsError(self.kinesis.split_shard, 'ValidationException', StreamName=self.name,
                            ShardToSplit='shardId-000000000000', NewStartingHashKey=str(2 ** 100))
        self.assertAwsError(self.kinesis.update_stream_mode, 'InvalidArgumentException',
                            'Stream %s under account %s is already in ON_DEMAND mode.' % (self.name, DEFAULT_ACCOUNT),
                            StreamARN=self.arn, StreamModeDetails={'StreamMode': 'ON_DEMAND'})
        self.kinesis.update_stream_mode(StreamARN=self.arn, StreamModeDetails={'StreamMode': 'PROVISIONED'})
        self.kinesis.split_shard(StreamName=self.name, ShardToSplit='shardId-000000000000',
                                 NewStartingHashKey=str(2 ** 100))
        self.assertAwsError(self.kinesis.update_stream_mode, 'InvalidArgumentException', StreamARN=self.arn,
                            StreamModeDetails={'StreamMode': 'ON_DEMAND'}, WarmThroughputMiBps=100)
        self.assertAwsError(self.kinesis_unvalidated.update_stream_mode, 'ValidationException',
                            StreamModeDetails={'StreamMode': 'ON_DEMAND'})

    def test_warm_throughput(self):
        client = self.emu.client(access_key='121212121212')
        name = unique_name('warm')
        create_stream(client, name, mode='ON_DEMAND')
        arn = 'arn:aws:kinesis:us-east-1:121212121212:stream/' + name
        self.assertAwsError(client.update_stream_warm_throughput, 'InvalidArgumentException',
                            message_regex='MinimumThroughputBillingCommitment', StreamName=name,
                            WarmThroughputMiBps=100)
        client.update_account_settings(MinimumThroughputBillingCommitment={'Status': 'ENABLED'})
        resp = client.update_stream_warm_throughput(StreamARN=arn, WarmThroughputMiBps=100)
        self.assertEqual((resp['StreamName'], resp['StreamARN'], resp['WarmThroughput']),
                         (name, arn, {'TargetMiBps': 100, 'CurrentMiBps': 0}))
        summary = client.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']
        self.assertEqual(summary['WarmThroughput'], {'TargetMiBps': 100, 'CurrentMiBps': 100})
        self.assertAwsError(client.update_stream_warm_throughput, 'InvalidArgumentException', StreamName=name,
                            WarmThroughputMiBps=10241)
        provisioned = unique_name('prov')
        create_stream(client, provisioned, shard_count=1)
        self.assertAwsError(client.update_stream_warm_throughput, 'InvalidArgumentException',
                            message_regex='ON_DEMAND', StreamName=provisioned, WarmThroughputMiBps=10)
        created = unique_name('warm-create')
        create_stream(client, created, mode='ON_DEMAND', WarmThroughputMiBps=50)
        self.assertEqual(client.describe_stream_summary(StreamName=created)['StreamDescriptionSummary']
                         ['WarmThroughput']['TargetMiBps'], 50)

    def test_resource_policies(self):
        self.assertEqual(self.kinesis.get_resource_policy(ResourceARN=self.arn)['Policy'], '{}')
        self.kinesis.put_resource_policy(ResourceARN=self.arn, Policy=POLICY)
        self.assertEqual(json.loads(self.kinesis.get_resource_policy(ResourceARN=self.arn)['Policy']),
                         json.loads(POLICY))
        consumer = self.kinesis.register_stream_consumer(StreamARN=self.arn, ConsumerName='c')['Consumer']
        carn = consumer['ConsumerARN']
        self.assertEqual(self.kinesis.get_resource_policy(ResourceARN=carn)['Policy'], '{}')
        self.kinesis.put_resource_policy(ResourceARN=carn, Policy=POLICY)
        self.kinesis.delete_resource_policy(ResourceARN=self.arn)
        self.assertEqual(self.kinesis.get_resource_policy(ResourceARN=self.arn)['Policy'], '{}')
        self.assertNotEqual(self.kinesis.get_resource_policy(ResourceARN=carn)['Policy'], '{}')
        self.assertAwsError(self.kinesis.delete_resource_policy, 'ResourceNotFoundException',
                            'No resource policy found for resource ARN %s.' % self.arn, ResourceARN=self.arn)
        self.assertAwsError(self.kinesis.put_resource_policy, 'InvalidArgumentException',
                            'Policy for resource %s is not a valid JSON policy document.' % self.arn,
                            ResourceARN=self.arn, Policy='not json')
        missing = stream_arn(unique_name('missing'))
        for fn, kw in ((self.kinesis.get_resource_policy, {}), (self.kinesis.delete_resource_policy, {}),
                       (self.kinesis.put_resource_policy, {'Policy': POLICY})):
            self.assertAwsError(fn, 'ResourceNotFoundException', ResourceARN=missing, **kw)
            self.assertAwsError(fn, 'ResourceNotFoundException', ResourceARN=self.arn + '/consumer/x:1', **kw)
        self.assertAwsError(self.kinesis_unvalidated.get_resource_policy, 'ValidationException',
                            ResourceARN='arn:aws:sqs:us-east-1:000000000000:queue')


class LifecycleDelayTest(EmulatorTestCase):
    """--create-stream-ms / --delete-stream-ms: transitions take Clock time; at most 5 streams CREATING."""

    emulator_args = ('--create-stream-ms', '1500', '--delete-stream-ms', '300')

    def test_five_creating_at_once_and_not_active_errors(self):
        client = self.emu.client(access_key='565656565656')
        names = [unique_name('c%d' % i) for i in range(6)]
        for n in names[:5]:
            client.create_stream(StreamName=n, ShardCount=1)
        self.assertAwsError(client.create_stream, 'LimitExceededException',
                            'This request would have exceed the limit on the number  of streams that can '
                            'simultaneously be in CREATING or DELETING for the account 565656565656. Limit: 5.',
                            StreamName=names[5], ShardCount=1)
        self.assertEqual(client.describe_stream_summary(StreamName=names[0])['StreamDescriptionSummary']
                         ['StreamStatus'], 'CREATING')
        not_active = 'Stream %s under account 565656565656 not ACTIVE, instead in state CREATING' % names[0]
        self.assertAwsError(client.add_tags_to_stream, 'ResourceInUseException', not_active, StreamName=names[0],
                            Tags={'a': 'b'})
        self.assertAwsError(client.update_shard_count, 'ResourceInUseException', not_active, StreamName=names[0],
                            TargetShardCount=2, ScalingType='UNIFORM_SCALING')
        self.assertAwsError(client.start_stream_encryption, 'ResourceInUseException', not_active,
                            StreamName=names[0], EncryptionType='KMS', KeyId='alias/aws/kinesis')
        self.assertAwsError(client.register_stream_consumer, 'ResourceInUseException', not_active,
                            StreamARN='arn:aws:kinesis:us-east-1:565656565656:stream/' + names[0], ConsumerName='c')
        client.get_waiter('stream_exists').wait(StreamName=names[0], WaiterConfig={'Delay': 1, 'MaxAttempts': 10})
        client.create_stream(StreamName=names[5], ShardCount=1)
        client.delete_stream(StreamName=names[0])
        self.assertEqual(client.describe_stream_summary(StreamName=names[0])['StreamDescriptionSummary']
                         ['StreamStatus'], 'DELETING')
        client.get_waiter('stream_not_exists').wait(StreamName=names[0], WaiterConfig={'Delay': 1, 'MaxAttempts': 10})


if __name__ == '__main__':
    unittest.main()
