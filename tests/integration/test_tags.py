"""Tags: AddTagsToStream / RemoveTagsFromStream / ListTagsForStream, TagResource / UntagResource /
ListTagsForResource on streams and consumers, CreateStream and RegisterStreamConsumer Tags."""

import unittest

from emulator_process import DEFAULT_ACCOUNT, EmulatorTestCase, create_stream, stream_arn, unique_name

INVALID = ('Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, '
           '_ . / = + - % @ :.')


class StreamTagsTest(EmulatorTestCase):

    def setUp(self):
        self.name = unique_name('tags')
        create_stream(self.kinesis, self.name, shard_count=1)

    def tags(self, **kw):
        return self.kinesis.list_tags_for_stream(StreamName=self.name, **kw)

    def test_add_overwrite_list_remove(self):
        self.kinesis.add_tags_to_stream(StreamName=self.name, Tags={'b': '2', 'a': '1', 'c': ''})
        self.kinesis.add_tags_to_stream(StreamARN=stream_arn(self.name), Tags={'a': 'one'})
        resp = self.tags()
        self.assertEqual(resp['Tags'], [{'Key': 'a', 'Value': 'one'}, {'Key': 'b', 'Value': '2'},
                                        {'Key': 'c', 'Value': ''}])
        self.assertFalse(resp['HasMoreTags'])
        self.kinesis.remove_tags_from_stream(StreamName=self.name, TagKeys=['a', 'absent'])
        self.assertEqual([t['Key'] for t in self.tags()['Tags']], ['b', 'c'])

    def test_paging(self):
        self.kinesis.add_tags_to_stream(StreamName=self.name, Tags={'k%02d' % i: str(i) for i in range(5)})
        page = self.tags(Limit=2)
        self.assertEqual([t['Key'] for t in page['Tags']], ['k00', 'k01'])
        self.assertTrue(page['HasMoreTags'])
        page = self.tags(Limit=2, ExclusiveStartTagKey='k01')
        self.assertEqual([t['Key'] for t in page['Tags']], ['k02', 'k03'])
        self.assertTrue(page['HasMoreTags'])
        page = self.tags(Limit=2, ExclusiveStartTagKey='k03')
        self.assertEqual([t['Key'] for t in page['Tags']], ['k04'])
        self.assertFalse(page['HasMoreTags'])
        self.assertAwsError(self.kinesis_unvalidated.list_tags_for_stream, 'ValidationException',
                            StreamName=self.name, Limit=51)

    def test_allowed_and_illegal_characters(self):
        self.kinesis.add_tags_to_stream(StreamName=self.name, Tags={'ü0 _.:': '/=+-@', 'env': 'prod'})
        self.assertAwsError(self.kinesis.add_tags_to_stream, 'InvalidArgumentException', INVALID,
                            StreamName=self.name, Tags={'a': 'abc;def'})
        self.assertAwsError(self.kinesis.add_tags_to_stream, 'InvalidArgumentException',
                            "Failed to add tags to stream %s under account %s because some tags contained illegal "
                            "characters. The allowed characters are Unicode letters, white-spaces, "
                            "'_',',','/','=','+','-','@',':'." % (self.name, DEFAULT_ACCOUNT),
                            StreamName=self.name, Tags={'abc%def': '1'})
        self.assertAwsError(self.kinesis.remove_tags_from_stream, 'InvalidArgumentException',
                            "Failed to remove tags from stream %s under account %s because some tags contained "
                            "illegal characters. The allowed characters are Unicode letters, white-spaces, "
                            "'_',',','/','=','+','-','@',':'." % (self.name, DEFAULT_ACCOUNT),
                            StreamName=self.name, TagKeys=['abc%def'])
        self.assertAwsError(self.kinesis.remove_tags_from_stream, 'InvalidArgumentException', INVALID,
                            StreamName=self.name, TagKeys=['a*b'])

    def test_only_the_space_counts_as_white_space(self):
        # kinesalite's tests recorded against AWS: a tab or a newline in a key or a value is an invalid character
        self.kinesis.add_tags_to_stream(StreamName=self.name, Tags={'a b': 'c d'})
        for tags in ({'abc\tdef': '1'}, {'abc\ndef': '1'}, {'a': 'abc\tdef'}, {'a': 'abc\ndef'},
                     {'a': 'abc\rdef'}, {'a\x0bb': '1'}):
            self.assertAwsError(self.kinesis.add_tags_to_stream, 'InvalidArgumentException', INVALID,
                                StreamName=self.name, Tags=tags)
        for keys in (['abc\tdef'], ['abc\ndef']):
            self.assertAwsError(self.kinesis.remove_tags_from_stream, 'InvalidArgumentException', INVALID,
                                StreamName=self.name, TagKeys=keys)
        self.assertAwsError(self.kinesis.tag_resource, 'InvalidArgumentException', INVALID,
                            ResourceARN=stream_arn(self.name), Tags={'a': 'b\tc'})
        self.assertEqual(self.tags()['Tags'], [{'Key': 'a b', 'Value': 'c d'}])

    def test_fifty_tags_per_stream(self):
        self.kinesis.add_tags_to_stream(StreamName=self.name, Tags={'t%02d' % i: 'v' for i in range(50)})
        self.kinesis.add_tags_to_stream(StreamName=self.name, Tags={'t00': 'overwrite is fine'})
        self.assertAwsError(self.kinesis.add_tags_to_stream, 'InvalidArgumentException',
                            'Failed to add tags to stream %s under account %s because a given stream cannot have '
                            'more than 50 tags associated with it.' % (self.name, DEFAULT_ACCOUNT),
                            StreamName=self.name, Tags={'one-more': 'v'})
        self.assertEqual(len(self.tags()['Tags']), 50)

    def test_model_constraints(self):
        self.assertAwsError(self.kinesis_unvalidated.add_tags_to_stream, 'ValidationException',
                            StreamName=self.name, Tags={})
        self.assertAwsError(self.kinesis_unvalidated.add_tags_to_stream, 'ValidationException',
                            StreamName=self.name, Tags={'k' * 129: 'v'})
        self.assertAwsError(self.kinesis_unvalidated.remove_tags_from_stream, 'ValidationException',
                            StreamName=self.name, TagKeys=[])

    def test_unknown_stream(self):
        missing = unique_name('missing')
        msg = self.not_found_message(missing)
        self.assertAwsError(self.kinesis.add_tags_to_stream, 'ResourceNotFoundException', msg, StreamName=missing,
                            Tags={'a': 'b'})
        self.assertAwsError(self.kinesis.remove_tags_from_stream, 'ResourceNotFoundException', msg,
                            StreamName=missing, TagKeys=['a'])
        self.assertAwsError(self.kinesis.list_tags_for_stream, 'ResourceNotFoundException', msg, StreamName=missing)

    def test_create_stream_with_tags(self):
        name = unique_name('tagged')
        create_stream(self.kinesis, name, shard_count=1, Tags={'team': 'data', 'env': 'test'})
        self.assertEqual(self.kinesis.list_tags_for_stream(StreamName=name)['Tags'],
                         [{'Key': 'env', 'Value': 'test'}, {'Key': 'team', 'Value': 'data'}])
        self.assertAwsError(self.kinesis.create_stream, 'InvalidArgumentException', INVALID,
                            StreamName=unique_name('bad'), ShardCount=1, Tags={'a': 'x;y'})
        self.assertAwsError(self.kinesis.create_stream, 'InvalidArgumentException',
                            message_regex='cannot have more than 50 tags', StreamName=unique_name('many'),
                            ShardCount=1, Tags={'t%02d' % i: 'v' for i in range(51)})


class ResourceTagsTest(EmulatorTestCase):

    def setUp(self):
        self.name = unique_name('res')
        create_stream(self.kinesis, self.name, shard_count=1)
        self.arn = stream_arn(self.name)

    def test_stream_resource(self):
        self.kinesis.tag_resource(ResourceARN=self.arn, Tags={'x': '1', 'y': '2'})
        self.assertEqual(self.kinesis.list_tags_for_resource(ResourceARN=self.arn)['Tags'],
                         [{'Key': 'x', 'Value': '1'}, {'Key': 'y', 'Value': '2'}])
        # the same tags as the stream-named API
        self.assertEqual(len(self.kinesis.list_tags_for_stream(StreamName=self.name)['Tags']), 2)
        self.kinesis.untag_resource(ResourceARN=self.arn, TagKeys=['x'])
        self.assertEqual(self.kinesis.list_tags_for_resource(ResourceARN=self.arn)['Tags'],
                         [{'Key': 'y', 'Value': '2'}])

    def test_consumer_resource(self):
        consumer = self.kinesis.register_stream_consumer(StreamARN=self.arn, ConsumerName='c1',
                                                         Tags={'owner': 'me'})['Consumer']
        carn = consumer['ConsumerARN']
        self.assertEqual(self.kinesis.list_tags_for_resource(ResourceARN=carn)['Tags'],
                         [{'Key': 'owner', 'Value': 'me'}])
        self.kinesis.tag_resource(ResourceARN=carn, Tags={'tier': 'gold'})
        self.kinesis.untag_resource(ResourceARN=carn, TagKeys=['owner'])
        self.assertEqual(self.kinesis.list_tags_for_resource(ResourceARN=carn)['Tags'],
                         [{'Key': 'tier', 'Value': 'gold'}])
        # consumer tags are not the stream's
        self.assertEqual(self.kinesis.list_tags_for_resource(ResourceARN=self.arn)['Tags'], [])
        self.assertAwsError(self.kinesis.tag_resource, 'InvalidArgumentException',
                            message_regex='cannot have more than 50 tags', ResourceARN=carn,
                            Tags={'t%02d' % i: 'v' for i in range(50)})
        self.assertAwsError(self.kinesis.register_stream_consumer, 'InvalidArgumentException', INVALID,
                            StreamARN=self.arn, ConsumerName='c2', Tags={'a': 'b;c'})

    def test_errors(self):
        missing = stream_arn(unique_name('missing'))
        for fn, kw in ((self.kinesis.tag_resource, {'Tags': {'a': 'b'}}),
                       (self.kinesis.untag_resource, {'TagKeys': ['a']}),
                       (self.kinesis.list_tags_for_resource, {})):
            self.assertAwsError(fn, 'ResourceNotFoundException', ResourceARN=missing, **kw)
            self.assertAwsError(fn, 'ResourceNotFoundException', ResourceARN=self.arn + '/consumer/nobody:1', **kw)
        self.assertAwsError(self.kinesis_unvalidated.tag_resource, 'ValidationException',
                            ResourceARN='arn:aws:s3:::bucket', Tags={'a': 'b'})
        self.assertAwsError(self.kinesis.tag_resource, 'InvalidArgumentException', INVALID, ResourceARN=self.arn,
                            Tags={'a': 'b;c'})
        self.assertAwsError(self.kinesis.untag_resource, 'InvalidArgumentException',
                            message_regex='^Failed to remove tags from resource', ResourceARN=self.arn,
                            TagKeys=['a%b'])


if __name__ == '__main__':
    unittest.main()
