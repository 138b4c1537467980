"""FIS experiment templates and the outage switch, seen through boto3: one real template per supported action id
(the error a client gets, on the operations it names, for the streams it targets), startAfter ordering, tag
targets, DELETE, refused templates, the emulator clock moving experiments and outages to their end, and the SDK's
retries against the injected errors."""

import json

from botocore.config import Config
from botocore.exceptions import ClientError

from emulator_process import DEFAULT_ACCOUNT, DEFAULT_REGION, EmulatorTestCase, create_stream, stream_arn, unique_name

ROLE = 'arn:aws:iam::%s:role/fis-experiment-role' % DEFAULT_ACCOUNT
PTE = 'aws:kinesis:inject-api-provisioned-throughput-exception'
EXPIRED = 'aws:kinesis:inject-api-expired-iterator-exception'
THROTTLE = 'aws:fis:inject-api-throttle-error'
INTERNAL = 'aws:fis:inject-api-internal-error'
UNAVAILABLE = 'aws:fis:inject-api-unavailable-error'


def template(actions, targets, **extra):
    """A template as `aws fis create-experiment-template --cli-input-json` takes it."""
    body = {
        'description': 'kinesis resilience experiment',
        'roleArn': ROLE,
        'stopConditions': [{'source': 'none'}],
        'tags': {'Name': 'kinesis-experiment'},
        'targets': targets,
        'actions': actions,
    }
    body.update(extra)
    return body


def stream_target(*names, selection='ALL'):
    return {'resourceType': 'aws:kinesis:stream', 'resourceArns': [stream_arn(n) for n in names],
            'selectionMode': selection}


def action(action_id, target='KinesisStreams', target_name='streams', **params):
    params.setdefault('duration', 'PT5M')
    a = {'actionId': action_id, 'description': action_id, 'parameters': params}
    if target_name:
        a['targets'] = {target: target_name}
    return a


class FisTestBase(EmulatorTestCase):

    def setUp(self):
        super().setUp()
        self.reset()
        self.addCleanup(self.reset)

    def reset(self):
        self.admin('POST', 'reset', expect=200)

    def admin(self, method, path, body=None, expect=200):
        resp = self.emu.admin(method, path, body)
        self.assertEqual(resp.status, expect, '%s %s %r -> %r' % (method, path, body, resp))
        return resp.json() if resp.body else None

    def advance(self, ms):
        self.admin('POST', 'clock', {'advance_ms': ms})

    def start(self, body):
        exp = self.admin('POST', 'experiments', body, expect=201)
        self.assertRegex(exp['id'], r'^EXP\d+$')
        self.assertEqual(exp['state']['status'], 'running')
        return exp

    def experiment(self, exp_id):
        return self.admin('GET', 'experiments/' + exp_id)

    def stream(self, **tags):
        name = unique_name('fis')
        create_stream(self.kinesis, name, shard_count=1)
        if tags:
            self.kinesis.add_tags_to_stream(StreamName=name, Tags=tags)
        return name

    def put(self, name, key='k'):
        return self.kinesis.put_record(StreamName=name, PartitionKey=key, Data=b'x')

    def put_records(self, name):
        return self.kinesis.put_records(StreamName=name, Records=[{'PartitionKey': 'a', 'Data': b'1'},
                                                                  {'PartitionKey': 'b', 'Data': b'2'}])

    def iterator(self, name):
        return self.kinesis.get_shard_iterator(StreamName=name, ShardId='shardId-000000000000',
                                               ShardIteratorType='TRIM_HORIZON')['ShardIterator']

    def get_records(self, name):
        return self.kinesis.get_records(ShardIterator=self.iterator(name))

    def assertError(self, fn, code, status, message=None, message_regex=None):
        with self.assertRaises(ClientError) as cm:
            fn()
        resp = cm.exception.response
        self.assertEqual(resp['Error']['Code'], code, resp)
        self.assertEqual(resp['ResponseMetadata']['HTTPStatusCode'], status, resp)
        if message is not None:
            self.assertEqual(resp['Error'].get('Message'), message)
        if message_regex is not None:
            self.assertRegex(resp['Error'].get('Message', ''), message_regex)


class ActionIdTest(FisTestBase):
    """One real template per action id: the error on the operations it names, nothing elsewhere, and the end."""

    def test_provisioned_throughput_exception_on_put_record_put_records_and_get_records(self):
        name, other = self.stream(), self.stream()
        exp = self.start(template({'throttle': action(PTE, operations='PutRecord,PutRecords,GetRecords',
                                                      percentage='100')},
                                  {'streams': stream_target(name)}))
        self.assertError(lambda: self.put(name), 'ProvisionedThroughputExceededException', 400,
                         'Rate exceeded for shard shardId-000000000000 in stream %s under account %s.'
                         % (name, DEFAULT_ACCOUNT))
        # PutRecords fails as a whole call (not a 200 with failed records)
        self.assertError(lambda: self.put_records(name), 'ProvisionedThroughputExceededException', 400,
                         message_regex=r'^Rate exceeded for stream %s under account %s\.$' % (name, DEFAULT_ACCOUNT))
        it = self.iterator(name)  # GetShardIterator is not a target operation
        self.assertError(lambda: self.kinesis.get_records(ShardIterator=it), 'ProvisionedThroughputExceededException',
                         400, 'Rate exceeded for Shard - %s/%s/shardId-000000000000' % (DEFAULT_ACCOUNT, name))
        self.put(other)  # not a target
        view = self.experiment(exp['id'])
        self.assertEqual(view['actions']['throttle']['fired'], 3)
        self.assertEqual(view['actions']['throttle']['state']['status'], 'running')
        self.advance(5 * 60 * 1000)
        self.put(name)
        self.assertEqual(len(self.get_records(name)['Records']), 1)
        view = self.experiment(exp['id'])
        self.assertEqual(view['state']['status'], 'completed')
        self.assertEqual(view['actions']['throttle']['state']['status'], 'completed')

    def test_provisioned_throughput_exception_on_the_named_operations_only(self):
        name = self.stream()
        self.start(template({'reads': action(PTE, operations='GetRecords')}, {'streams': stream_target(name)}))
        self.put(name)
        self.put_records(name)
        self.assertError(lambda: self.get_records(name), 'ProvisionedThroughputExceededException', 400)

    def test_expired_iterator_exception_on_get_records(self):
        name = self.stream()
        self.put(name)
        exp = self.start(template({'expire': action(EXPIRED, duration='PT2M')}, {'streams': stream_target(name)}))
        self.assertError(lambda: self.get_records(name), 'ExpiredIteratorException', 400,
                         message_regex=r'^Iterator expired\. ')
        self.put(name)  # writes go on
        self.advance(2 * 60 * 1000)
        self.assertEqual(len(self.get_records(name)['Records']), 2)
        self.assertEqual(self.experiment(exp['id'])['state']['status'], 'completed')

    def test_throttle_error(self):
        name = self.stream()
        self.start(template({'throttle': action(THROTTLE, target='Roles', target_name='roles', service='kinesis',
                                                operations='ListShards,DescribeStreamSummary', percentage='100')},
                            {'roles': {'resourceType': 'aws:iam:role', 'resourceArns': [ROLE],
                                       'selectionMode': 'ALL'}}))
        self.assertError(lambda: self.kinesis.list_shards(StreamName=name), 'ThrottlingException', 400,
                         'Rate exceeded')
        self.assertError(lambda: self.kinesis.describe_stream_summary(StreamName=name), 'ThrottlingException', 400)
        self.put(name)

    def test_internal_error(self):
        name = self.stream()
        self.start(template({'fail': action(INTERNAL, service='kinesis', operations='PutRecord')},
                            {'streams': stream_target(name)}))
        self.assertError(lambda: self.put(name), 'InternalFailure', 500)
        self.get_records(name)

    def test_unavailable_error(self):
        name = self.stream()
        self.start(template({'down': action(UNAVAILABLE, service='kinesis', operations='GetRecords,PutRecords')},
                            {'streams': stream_target(name)}))
        self.assertError(lambda: self.get_records(name), 'ServiceUnavailable', 503)
        self.assertError(lambda: self.put_records(name), 'ServiceUnavailable', 503)
        self.put(name)

    def test_percentage_fails_that_share_of_the_calls(self):
        name = self.stream()
        exp = self.start(template({'some': action(INTERNAL, operations='PutRecord', percentage='25')},
                                  {'streams': stream_target(name)}))
        failed = 0
        for _ in range(200):
            try:
                self.put(name)
            except ClientError:
                failed += 1
        self.assertGreater(failed, 20)
        self.assertLess(failed, 80)
        self.assertEqual(self.experiment(exp['id'])['actions']['some']['fired'], failed)


class ExperimentLifecycleTest(FisTestBase):

    def test_start_after_orders_the_actions_on_the_clock(self):
        name = self.stream()
        exp = self.start(template({
            'first': action(THROTTLE, duration='PT1M', operations='PutRecord'),
            'second': dict(action(UNAVAILABLE, duration='PT2M', operations='PutRecord'), startAfter=['first']),
        }, {'streams': stream_target(name)}))
        self.assertEqual(exp['actions']['second']['state']['status'], 'pending')
        self.assertError(lambda: self.put(name), 'ThrottlingException', 400)
        self.advance(60 * 1000)
        self.assertError(lambda: self.put(name), 'ServiceUnavailable', 503)
        view = self.experiment(exp['id'])
        self.assertEqual(view['actions']['first']['state']['status'], 'completed')
        self.assertEqual(view['actions']['second']['state']['status'], 'running')
        self.assertEqual(view['state']['status'], 'running')
        self.advance(2 * 60 * 1000)
        self.put(name)
        self.assertEqual(self.experiment(exp['id'])['state']['status'], 'completed')

    def test_tag_targets_resolve_to_every_tagged_stream(self):
        a, b = self.stream(team='payments'), self.stream(team='payments')
        untagged = self.stream(team='search')
        exp = self.start(template({'throttle': action(PTE)}, {
            'streams': {'resourceType': 'aws:kinesis:stream', 'resourceTags': {'team': 'payments'},
                        'selectionMode': 'ALL'}}))
        self.assertEqual(sorted(exp['targets']['streams']['resources']), sorted([stream_arn(a), stream_arn(b)]))
        for name in (a, b):
            self.assertError(lambda: self.put(name), 'ProvisionedThroughputExceededException', 400)
        self.put(untagged)

    def test_count_selection_picks_that_many_streams(self):
        names = [self.stream(env='test') for _ in range(3)]
        exp = self.start(template({'throttle': action(PTE, operations='PutRecord')}, {
            'streams': {'resourceType': 'aws:kinesis:stream', 'resourceTags': {'env': 'test'},
                        'selectionMode': 'COUNT(2)'}}))
        chosen = exp['targets']['streams']['resources']
        self.assertEqual(len(chosen), 2)
        failed = 0
        for name in names:
            try:
                self.put(name)
            except ClientError:
                failed += 1
        self.assertEqual(failed, 2)

    def test_delete_stops_the_experiment(self):
        name = self.stream()
        exp = self.start(template({
            'first': action(INTERNAL, operations='PutRecord'),
            'later': dict(action(UNAVAILABLE, operations='PutRecord'), startAfter=['first']),
        }, {'streams': stream_target(name)}))
        self.assertError(lambda: self.put(name), 'InternalFailure', 500)
        stopped = self.admin('DELETE', 'experiments/' + exp['id'])
        self.assertEqual(stopped['state']['status'], 'stopped')
        self.assertEqual(stopped['actions']['first']['state']['status'], 'stopped')
        self.assertEqual(stopped['actions']['later']['state']['status'], 'cancelled')
        self.assertEqual(stopped['actions']['first']['fired'], 1)
        self.put(name)
        self.advance(10 * 60 * 1000)
        self.put(name)
        self.assertEqual(self.experiment(exp['id'])['state']['status'], 'stopped')
        listed = self.admin('GET', 'experiments')['experiments']
        self.assertEqual([e['id'] for e in listed], [exp['id']])
        # no rule of it is left
        self.assertEqual(self.admin('GET', 'faults')['faults'], [])

    def test_the_template_of_get_experiment_template_runs_unchanged(self):
        name = self.stream()
        body = template({'throttle': action(PTE)}, {'streams': stream_target(name)},
                        logConfiguration={'logSchemaVersion': 2, 'cloudWatchLogsConfiguration': {
                            'logGroupArn': 'arn:aws:logs:us-east-1:%s:log-group:fis' % DEFAULT_ACCOUNT}},
                        experimentOptions={'accountTargeting': 'single-account',
                                           'emptyTargetResolutionMode': 'fail'})
        body['stopConditions'] = [{'source': 'aws:cloudwatch:alarm',
                                   'value': 'arn:aws:cloudwatch:us-east-1:%s:alarm:errors' % DEFAULT_ACCOUNT}]
        exp = self.start({'experimentTemplate': dict(body, id='EXTabc123', creationTime=1700000000)})
        self.assertTrue(any('stopConditions' in n for n in exp['notes']), exp['notes'])
        self.assertError(lambda: self.put(name), 'ProvisionedThroughputExceededException', 400)


    def test_the_kinesis_guides_example_template_shape_runs(self):
        # The shape of the example in the Kinesis developer guide's FIS page: tag targets picked with COUNT(5),
        # the action id spelled aws:kinesis:stream-..., `service` on a Kinesis action, stopConditions "none",
        # experimentOptions; here with the emulator's account and streams of our own.
        tagged = [self.stream(fis='orders') for _ in range(2)]
        body = {
            'description': 'throttle the tagged streams for five minutes',
            'targets': {'Tagged': {'resourceType': 'aws:kinesis:stream', 'resourceTags': {'fis': 'orders'},
                                   'selectionMode': 'COUNT(5)'}},
            'actions': {'pte': {'actionId': 'aws:kinesis:stream-provisioned-throughput-exception',
                                'description': 'all requests',
                                'parameters': {'duration': 'PT5M', 'percentage': '100', 'service': 'kinesis'},
                                'targets': {'KinesisStreams': 'Tagged'}}},
            'stopConditions': [{'source': 'none'}],
            'roleArn': 'arn:aws:iam::%s:role/fis-role' % DEFAULT_ACCOUNT,
            'tags': {},
            'experimentOptions': {'accountTargeting': 'single-account', 'emptyTargetResolutionMode': 'fail'},
        }
        exp = self.start(body)
        self.assertEqual(sorted(exp['targets']['Tagged']['resources']), sorted(stream_arn(n) for n in tagged))
        for name in tagged:
            self.assertError(lambda: self.put(name), 'ProvisionedThroughputExceededException', 400)
        self.advance(5 * 60 * 1000)
        for name in tagged:
            self.put(name)
        self.assertEqual(self.experiment(exp['id'])['state']['status'], 'completed')

        # its companion action id, the expired iterator
        name = self.stream()
        self.start(template({'exp': action('aws:kinesis:stream-expired-iterator-exception', service='kinesis')},
                            {'streams': stream_target(name)}))
        self.assertError(lambda: self.get_records(name), 'ExpiredIteratorException', 400)


class RefusedTemplateTest(FisTestBase):

    def refused(self, body, message):
        resp = self.admin('POST', 'experiments', body, expect=400)
        self.assertEqual(resp, {'error': 'InvalidExperimentTemplate', 'message': message})
        self.assertEqual(self.admin('GET', 'faults')['faults'], [])

    def test_unsupported_action_ids_are_named(self):
        name = self.stream()
        self.refused(template({'stop': action('aws:ec2:stop-instances')}, {'streams': stream_target(name)}),
                     'actions.stop.actionId aws:ec2:stop-instances is not supported by the emulator; supported: '
                     '%s, %s, %s, %s, %s, %s, %s' % (PTE, EXPIRED, 'aws:kinesis:stream-provisioned-throughput-exception',
                                                     'aws:kinesis:stream-expired-iterator-exception', THROTTLE,
                                                     INTERNAL, UNAVAILABLE))

    def test_bad_parameters_and_targets_are_named(self):
        name = self.stream()
        targets = {'streams': stream_target(name)}
        self.refused(template({'a': action(PTE, duration='PT30S')}, targets),
                     'actions.a.parameters.duration must be an ISO-8601 duration from PT1M to PT12H; got PT30S')
        self.refused(template({'a': action(PTE, operations='ListShards')}, targets),
                     'actions.a.parameters.operations: ListShards is not an operation %s applies to '
                     '(PutRecord, PutRecords, GetRecords)' % PTE)
        self.refused(template({'a': action(PTE, percentage='150')}, targets),
                     'actions.a.parameters.percentage must be an integer from 1 to 100; got 150')
        self.refused(template({'a': action(PTE, target_name='nope')}, targets),
                     'actions.a.targets names nope, which is not a target')
        self.refused(template({'a': action(PTE)}, {'streams': stream_target('missing-' + name)}),
                     'targets.streams resolved to no resources (no existing stream has these ARNs); FIS fails such '
                     'an experiment unless experimentOptions.emptyTargetResolutionMode is skip')
        self.refused(template({'a': action(PTE)}, {'streams': dict(stream_target(name), selectionMode='SOME')}),
                     'targets.streams.selectionMode must be ALL, COUNT(n) with n >= 1 or PERCENT(n) with n in 1..100; '
                     'got SOME')
        resp = self.emu.admin('POST', 'experiments', None)
        self.assertEqual(resp.status, 400)

    def test_unknown_experiment_ids_are_404(self):
        self.admin('GET', 'experiments/EXP999', expect=404)
        self.admin('DELETE', 'experiments/EXP999', expect=404)


class RetryTest(FisTestBase):
    """What the SDK does with the injected errors: boto3's standard retry mode retries throttling and 5xx."""

    def attempts(self, name):
        calls = self.admin('GET', 'calls?operation=PutRecord&stream=%s' % name)['calls']
        return len(calls)

    def test_standard_retries_retry_a_throttled_put_then_give_up(self):
        name = self.stream()
        client = self.emu.client(retries_off=False)  # standard mode, max_attempts 3: 3 retries after the first
        self.start(template({'throttle': action(PTE, operations='PutRecord')}, {'streams': stream_target(name)}))
        with self.assertRaises(ClientError) as cm:
            client.put_record(StreamName=name, PartitionKey='k', Data=b'x')
        self.assertEqual(cm.exception.response['Error']['Code'], 'ProvisionedThroughputExceededException')
        self.assertEqual(cm.exception.response['ResponseMetadata']['RetryAttempts'], 3)
        self.assertEqual(self.attempts(name), 4)


class OutageTest(FisTestBase):

    def test_every_call_fails_with_503_until_the_clock_passes_the_duration(self):
        name = self.stream()
        self.admin('POST', 'clock', {'freeze': True})  # remaining_ms is then exact
        self.addCleanup(self.admin, 'POST', 'clock', {'freeze': False})
        outage = self.admin('POST', 'outage', {'duration_ms': 30000}, expect=201)
        self.assertEqual(outage['active'], True)
        self.assertEqual(outage['status'], 503)
        self.assertError(lambda: self.put(name), 'ServiceUnavailable', 503)
        self.assertError(lambda: self.kinesis.list_streams(), 'ServiceUnavailable', 503)
        self.advance(29999)
        self.assertEqual(self.admin('GET', 'outage')['remaining_ms'], 1)
        self.assertError(lambda: self.get_records(name), 'ServiceUnavailable', 503)
        self.advance(1)
        self.put(name)
        state = self.admin('GET', 'outage')
        self.assertEqual(state['active'], False)
        self.assertEqual(state['fired'], 3)

    def test_internal_failure_on_matching_calls_and_delete_ends_it(self):
        name, other = self.stream(), self.stream()
        self.admin('POST', 'outage', {'duration_ms': 600000, 'status': 500,
                                      'match': {'stream': name, 'operation': ['PutRecord', 'PutRecords']}},
                   expect=201)
        self.assertError(lambda: self.put(name), 'InternalFailure', 500)
        self.assertError(lambda: self.put_records(name), 'InternalFailure', 500)
        self.get_records(name)
        self.put(other)
        self.admin('DELETE', 'outage', expect=204)
        self.put(name)
        self.assertEqual(self.admin('GET', 'outage')['active'], False)

    def test_bad_bodies_are_400_naming_the_field(self):
        for body, message in [
            ({}, 'duration_ms is required and must be a positive integer (milliseconds on the emulator clock)'),
            ({'duration_ms': 10, 'status': 502}, 'status must be 503 (ServiceUnavailable) or 500 (InternalFailure)'),
            ({'duration_ms': 10, 'match': {'table': 'x'}},
             'match.table is not a match field (operation, stream, shard, region, account, consumer)'),
            ({'duration_ms': 10, 'region': DEFAULT_REGION}, 'region is not a field of an outage (duration_ms, status, '
                                                            'match)'),
        ]:
            resp = self.admin('POST', 'outage', body, expect=400)
            self.assertEqual(resp, {'error': 'InvalidOutage', 'message': message})
        self.assertEqual(self.admin('GET', 'outage'), {'active': False})

    def test_the_sdk_retries_through_a_short_outage(self):
        # Standard retries sleep on the wall clock while the outage runs on the emulator clock: a 503 is retried
        # (RetryAttempts counts it) and the call succeeds once the outage has been ended between attempts.
        name = self.stream()
        client = self.emu.client(retries_off=False)
        self.admin('POST', 'outage', {'duration_ms': 600000, 'match': {'operation': 'PutRecord'}}, expect=201)
        events = []

        def end_outage(**kwargs):
            if not events:
                events.append(1)
                self.admin('DELETE', 'outage', expect=204)

        client.meta.events.register('needs-retry.kinesis.PutRecord', end_outage)
        resp = client.put_record(StreamName=name, PartitionKey='k', Data=b'x')
        self.assertEqual(resp['ResponseMetadata']['RetryAttempts'], 1)


if __name__ == '__main__':
    import unittest
    unittest.main()
