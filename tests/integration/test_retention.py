"""IncreaseStreamRetentionPeriod / DecreaseStreamRetentionPeriod (trimming on the Clock is covered by gtest)."""

import unittest

from emulator_process import DEFAULT_ACCOUNT, EmulatorTestCase, create_stream, stream_arn, unique_name


class RetentionTest(EmulatorTestCase):

    def setUp(self):
        self.name = unique_name('ret')
        create_stream(self.kinesis, self.name, shard_count=1)

    def retention(self):
        return self.kinesis.describe_stream(StreamName=self.name)['StreamDescription']['RetentionPeriodHours']

    def test_increase_then_decrease(self):
        self.assertEqual(self.retention(), 24)
        self.kinesis.increase_stream_retention_period(StreamName=self.name, RetentionPeriodHours=168)
        self.assertEqual(self.retention(), 168)
        self.assertEqual(self.kinesis.describe_stream_summary(StreamName=self.name)
                         ['StreamDescriptionSummary']['RetentionPeriodHours'], 168)
        self.kinesis.decrease_stream_retention_period(StreamARN=stream_arn(self.name), RetentionPeriodHours=48)
        self.assertEqual(self.retention(), 48)
        # equal values are accepted both ways (as AWS does)
        self.kinesis.increase_stream_retention_period(StreamName=self.name, RetentionPeriodHours=48)
        self.kinesis.decrease_stream_retention_period(StreamName=self.name, RetentionPeriodHours=48)
        self.kinesis.increase_stream_retention_period(StreamName=self.name, RetentionPeriodHours=8760)
        self.assertEqual(self.retention(), 8760)

    def test_records_survive_a_longer_retention(self):
        self.kinesis.put_record(StreamName=self.name, PartitionKey='k', Data=b'kept')
        self.kinesis.increase_stream_retention_period(StreamName=self.name, RetentionPeriodHours=72)
        it = self.kinesis.get_shard_iterator(StreamName=self.name, ShardId='shardId-000000000000',
                                             ShardIteratorType='TRIM_HORIZON')['ShardIterator']
        self.assertEqual([r['Data'] for r in self.kinesis.get_records(ShardIterator=it)['Records']], [b'kept'])

    def test_wrong_direction(self):
        self.kinesis.increase_stream_retention_period(StreamName=self.name, RetentionPeriodHours=100)
        self.assertAwsError(self.kinesis.increase_stream_retention_period, 'InvalidArgumentException',
                            'Requested retention period (50 hours) for stream %s can not be shorter than existing '
                            'retention period (100 hours). Use DecreaseRetentionPeriod API.' % self.name,
                            StreamName=self.name, RetentionPeriodHours=50)
        self.assertAwsError(self.kinesis.decrease_stream_retention_period, 'InvalidArgumentException',
                            'Requested retention period (200 hours) for stream %s can not be longer than existing '
                            'retention period (100 hours). Use IncreaseRetentionPeriod API.' % self.name,
                            StreamName=self.name, RetentionPeriodHours=200)

    def test_bounds(self):
        self.assertAwsError(self.kinesis.decrease_stream_retention_period, 'InvalidArgumentException',
                            'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is '
                            'too short.', StreamName=self.name, RetentionPeriodHours=23)
        self.assertAwsError(self.kinesis.increase_stream_retention_period, 'InvalidArgumentException',
                            'Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) '
                            'is too long.', StreamName=self.name, RetentionPeriodHours=8761)

    def test_unknown_stream(self):
        missing = unique_name('missing')
        for fn in (self.kinesis.increase_stream_retention_period, self.kinesis.decrease_stream_retention_period):
            self.assertAwsError(fn, 'ResourceNotFoundException', self.not_found_message(missing),
                                StreamName=missing, RetentionPeriodHours=48)

    def test_missing_hours_is_a_validation_error(self):
        self.assertAwsError(self.kinesis_unvalidated.increase_stream_retention_period, 'ValidationException',
                            message_regex="Value null at 'retentionPeriodHours' failed to satisfy constraint: Member "
                                          "must not be null", StreamName=self.name)


class RetentionWhileUpdatingTest(EmulatorTestCase):
    emulator_args = ('--update-stream-ms', '60000')

    def test_stream_not_active(self):
        name = unique_name('upd')
        create_stream(self.kinesis, name, shard_count=1)
        self.kinesis.update_max_record_size(StreamARN=stream_arn(name), MaxRecordSizeInKiB=2048)
        self.assertAwsError(self.kinesis.increase_stream_retention_period, 'ResourceInUseException',
                            'Stream %s under account %s not ACTIVE, instead in state UPDATING' % (name,
                                                                                                   DEFAULT_ACCOUNT),
                            StreamName=name, RetentionPeriodHours=48)


if __name__ == '__main__':
    unittest.main()
