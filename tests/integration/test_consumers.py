"""Enhanced fan-out consumers: RegisterStreamConsumer, DescribeStreamConsumer, ListStreamConsumers,
DeregisterStreamConsumer, and DeleteStream's EnforceConsumerDeletion."""

import datetime
import re
import time
import unittest

from emulator_process import DEFAULT_ACCOUNT, EmulatorTestCase, create_stream, stream_arn, unique_name

DELETE_WITH_CONSUMERS = ('DeleteStream can\u2019t delete {acct}:{name} because there are consumers associated with '
                         'this data stream. To delete {name} anyway, set the EnforceConsumerDeletion parameter to '
                         'true to force the deletion of all the consumers that are associated with it.')


class ConsumersTest(EmulatorTestCase):

    def setUp(self):
        self.name = unique_name('efo')
        create_stream(self.kinesis, self.name, shard_count=1)
        self.arn = stream_arn(self.name)

    def register(self, name, **kw):
        return self.kinesis.register_stream_consumer(StreamARN=self.arn, ConsumerName=name, **kw)['Consumer']

    def test_register_and_describe(self):
        before = int(time.time())
        c = self.register('app')
        self.assertEqual(c['ConsumerName'], 'app')
        self.assertEqual(c['ConsumerStatus'], 'CREATING')
        m = re.fullmatch(re.escape(self.arn) + r'/consumer/app:(\d+)', c['ConsumerARN'])
        self.assertIsNotNone(m, c['ConsumerARN'])
        self.assertLessEqual(abs(int(m.group(1)) - before), 2)
        self.assertIsInstance(c['ConsumerCreationTimestamp'], datetime.datetime)
        by_arn = self.kinesis.describe_stream_consumer(ConsumerARN=c['ConsumerARN'])['ConsumerDescription']
        by_name = self.kinesis.describe_stream_consumer(StreamARN=self.arn, ConsumerName='app')['ConsumerDescription']
        self.assertEqual(by_arn, by_name)
        self.assertEqual(by_arn['ConsumerStatus'], 'ACTIVE')  # no --register-consumer-ms: active at once
        self.assertEqual(by_arn['StreamARN'], self.arn)
        both = self.kinesis.describe_stream_consumer(StreamARN=self.arn, ConsumerName='app',
                                                     ConsumerARN=c['ConsumerARN'])['ConsumerDescription']
        self.assertEqual(both['ConsumerARN'], c['ConsumerARN'])
        self.assertEqual(self.kinesis.describe_stream_summary(StreamName=self.name)
                         ['StreamDescriptionSummary']['ConsumerCount'], 1)

    def test_list_and_page(self):
        names = ['c%02d' % i for i in range(5)]
        for n in names:
            self.register(n)
        resp = self.kinesis.list_stream_consumers(StreamARN=self.arn)
        self.assertEqual([c['ConsumerName'] for c in resp['Consumers']], names)
        self.assertNotIn('NextToken', resp)
        seen = []
        resp = self.kinesis.list_stream_consumers(StreamARN=self.arn, MaxResults=2)
        seen += resp['Consumers']
        while 'NextToken' in resp:
            resp = self.kinesis.list_stream_consumers(StreamARN=self.arn, MaxResults=2, NextToken=resp['NextToken'])
            seen += resp['Consumers']
        self.assertEqual([c['ConsumerName'] for c in seen], names)
        # boto3's paginator works too
        pages = self.kinesis.get_paginator('list_stream_consumers').paginate(
            StreamARN=self.arn, PaginationConfig={'PageSize': 3})
        self.assertEqual([c['ConsumerName'] for p in pages for c in p['Consumers']], names)
        self.assertAwsError(self.kinesis.list_stream_consumers, 'InvalidArgumentException', 'Invalid NextToken.',
                            StreamARN=self.arn, NextToken='garbage')
        created = self.kinesis.describe_stream_summary(StreamName=self.name)['StreamDescriptionSummary'][
            'StreamCreationTimestamp']
        self.assertEqual(len(self.kinesis.list_stream_consumers(StreamARN=self.arn, StreamCreationTimestamp=created)
                             ['Consumers']), 5)
        self.assertAwsError(self.kinesis.list_stream_consumers, 'ResourceNotFoundException', StreamARN=self.arn,
                            StreamCreationTimestamp=created - datetime.timedelta(days=1))

    def test_deregister(self):
        c = self.register('gone')
        self.kinesis.deregister_stream_consumer(ConsumerARN=c['ConsumerARN'])
        self.assertEqual(self.kinesis.list_stream_consumers(StreamARN=self.arn)['Consumers'], [])
        self.register('gone-too')
        self.kinesis.deregister_stream_consumer(StreamARN=self.arn, ConsumerName='gone-too')
        self.assertAwsError(self.kinesis.describe_stream_consumer, 'ResourceNotFoundException',
                            StreamARN=self.arn, ConsumerName='gone-too')
        # re-registering a name gives a consumer of its own (the old ARN does not find it unless the second matches)
        self.assertAwsError(self.kinesis.deregister_stream_consumer, 'ResourceNotFoundException',
                            'Consumer gone-too under stream %s and account %s not found.' % (self.name,
                                                                                               DEFAULT_ACCOUNT),
                            StreamARN=self.arn, ConsumerName='gone-too')

    def test_errors(self):
        c = self.register('dup')
        self.assertAwsError(self.kinesis.register_stream_consumer, 'ResourceInUseException',
                            'Consumer dup under stream %s and account %s already exists.' % (self.name,
                                                                                               DEFAULT_ACCOUNT),
                            StreamARN=self.arn, ConsumerName='dup')
        self.assertAwsError(self.kinesis.describe_stream_consumer, 'ResourceNotFoundException',
                            ConsumerARN=c['ConsumerARN'][:-1] + ('1' if c['ConsumerARN'][-1] != '1' else '2'))
        self.assertAwsError(self.kinesis.describe_stream_consumer, 'InvalidArgumentException',
                            StreamARN=self.arn)
        missing = stream_arn(unique_name('missing'))
        self.assertAwsError(self.kinesis.register_stream_consumer, 'ResourceNotFoundException',
                            StreamARN=missing, ConsumerName='x')
        self.assertAwsError(self.kinesis.list_stream_consumers, 'ResourceNotFoundException', StreamARN=missing)
        self.assertAwsError(self.kinesis_unvalidated.register_stream_consumer, 'ValidationException',
                            StreamARN=self.arn, ConsumerName='bad name')
        self.assertAwsError(self.kinesis_unvalidated.register_stream_consumer, 'ValidationException',
                            ConsumerName='x')

    def test_twenty_consumers_per_stream(self):
        for i in range(20):
            self.register('c%d' % i)
        self.assertAwsError(self.kinesis.register_stream_consumer, 'LimitExceededException',
                            'Consumer limit of 20 for stream %s under account %s has been reached.' % (
                                self.name, DEFAULT_ACCOUNT), StreamARN=self.arn, ConsumerName='c20')

    def test_delete_stream_with_consumers(self):
        self.register('blocker')
        self.assertAwsError(self.kinesis.delete_stream, 'ResourceInUseException',
                            DELETE_WITH_CONSUMERS.format(acct=DEFAULT_ACCOUNT, name=self.name), StreamName=self.name)
        self.assertAwsError(self.kinesis.delete_stream, 'ResourceInUseException', StreamName=self.name,
                            EnforceConsumerDeletion=False)
        self.kinesis.delete_stream(StreamName=self.name, EnforceConsumerDeletion=True)
        self.kinesis.get_waiter('stream_not_exists').wait(StreamName=self.name,
                                                          WaiterConfig={'Delay': 1, 'MaxAttempts': 5})


class ConsumerDelayTest(EmulatorTestCase):
    emulator_args = ('--register-consumer-ms', '1000')

    def test_creating_then_active_then_deleting_then_gone(self):
        name = unique_name('slow')
        create_stream(self.kinesis, name, shard_count=1)
        arn = stream_arn(name)
        c = self.kinesis.register_stream_consumer(StreamARN=arn, ConsumerName='c')['Consumer']
        status = self.kinesis.describe_stream_consumer(ConsumerARN=c['ConsumerARN'])['ConsumerDescription'][
            'ConsumerStatus']
        self.assertEqual(status, 'CREATING')
        deadline = time.time() + 10
        while status != 'ACTIVE' and time.time() < deadline:
            time.sleep(0.05)
            status = self.kinesis.describe_stream_consumer(ConsumerARN=c['ConsumerARN'])['ConsumerDescription'][
                'ConsumerStatus']
        self.assertEqual(status, 'ACTIVE')
        self.kinesis.deregister_stream_consumer(ConsumerARN=c['ConsumerARN'])
        self.assertEqual(self.kinesis.list_stream_consumers(StreamARN=arn)['Consumers'][0]['ConsumerStatus'],
                         'DELETING')
        deadline = time.time() + 10
        while self.kinesis.list_stream_consumers(StreamARN=arn)['Consumers'] and time.time() < deadline:
            time.sleep(0.05)
        self.assertEqual(self.kinesis.list_stream_consumers(StreamARN=arn)['Consumers'], [])

    def test_at_most_five_creating(self):
        name = unique_name('many')
        create_stream(self.kinesis, name, shard_count=1)
        for i in range(5):
            self.kinesis.register_stream_consumer(StreamARN=stream_arn(name), ConsumerName='c%d' % i)
        self.assertAwsError(self.kinesis.register_stream_consumer, 'LimitExceededException',
                            StreamARN=stream_arn(name), ConsumerName='c5')


if __name__ == '__main__':
    unittest.main()
