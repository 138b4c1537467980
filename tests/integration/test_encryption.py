"""Server-side encryption: StartStreamEncryption / StopStreamEncryption with the emulated KMS, records sealed at
rest in SQLite and decrypted on read, EncryptionType and KeyId reporting, KMS errors."""

import os
import shutil
import subprocess
import tempfile
import unittest

from emulator_process import (DEFAULT_ACCOUNT, EmulatorProcess, EmulatorTestCase, create_stream, read_shard,
                              shard_id, stream_arn, unique_name)

AWS = shutil.which('aws')
DECLARED_KEY = '11111111-2222-3333-4444-555555555555'
KEY_ARN = 'arn:aws:kms:us-east-1:%s:key/%s' % (DEFAULT_ACCOUNT, DECLARED_KEY)


class EncryptionTest(EmulatorTestCase):
    emulator_args = ('--kms-keys', DECLARED_KEY + ',alias/declared')

    def new_stream(self):
        name = unique_name('sse')
        create_stream(self.kinesis, name, shard_count=1)
        return name

    def summary(self, name):
        return self.kinesis.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']

    def test_start_put_read_stop(self):
        name = self.new_stream()
        self.assertEqual(self.summary(name)['EncryptionType'], 'NONE')
        self.assertNotIn('KeyId', self.summary(name))
        plain = self.kinesis.put_record(StreamName=name, PartitionKey='k', Data=b'before')
        self.assertEqual(plain['EncryptionType'], 'NONE')
        self.kinesis.start_stream_encryption(StreamName=name, EncryptionType='KMS', KeyId='alias/aws/kinesis')
        self.assertEqual(self.summary(name)['EncryptionType'], 'KMS')
        self.assertEqual(self.summary(name)['KeyId'], 'alias/aws/kinesis')
        desc = self.kinesis.describe_stream(StreamName=name)['StreamDescription']
        self.assertEqual((desc['EncryptionType'], desc['KeyId']), ('KMS', 'alias/aws/kinesis'))
        put = self.kinesis.put_record(StreamName=name, PartitionKey='k', Data=b'secret')
        self.assertEqual(put['EncryptionType'], 'KMS')
        batch = self.kinesis.put_records(StreamName=name, Records=[{'PartitionKey': 'k', 'Data': b'secret-2'}])
        self.assertEqual(batch['EncryptionType'], 'KMS')
        self.kinesis.stop_stream_encryption(StreamName=name, EncryptionType='KMS', KeyId='alias/aws/kinesis')
        self.assertEqual(self.summary(name)['EncryptionType'], 'NONE')
        self.kinesis.put_record(StreamName=name, PartitionKey='k', Data=b'after')
        records = read_shard(self.kinesis, name, shard_id(0))
        self.assertEqual([r['Data'] for r in records], [b'before', b'secret', b'secret-2', b'after'])
        self.assertEqual([r.get('EncryptionType') for r in records], [None, 'KMS', 'KMS', None])

    def test_key_forms(self):
        for key in (DECLARED_KEY, KEY_ARN, 'alias/declared', 'arn:aws:kms:us-east-1:%s:alias/declared' % DEFAULT_ACCOUNT,
                    'arn:aws:kms:us-east-1:%s:alias/aws/kinesis' % DEFAULT_ACCOUNT):
            name = self.new_stream()
            self.kinesis.start_stream_encryption(StreamARN=stream_arn(name), EncryptionType='KMS', KeyId=key)
            self.assertEqual(self.summary(name)['KeyId'], key)
            self.kinesis.put_record(StreamName=name, PartitionKey='p', Data=b'x')
            self.assertEqual(read_shard(self.kinesis, name, shard_id(0))[0]['Data'], b'x')

    def test_unknown_keys(self):
        name = self.new_stream()
        unknown = '99999999-8888-7777-6666-555555555555'
        self.assertAwsError(self.kinesis.start_stream_encryption, 'KMSNotFoundException',
                            "Key 'arn:aws:kms:us-east-1:%s:key/%s' does not exist" % (DEFAULT_ACCOUNT, unknown),
                            StreamName=name, EncryptionType='KMS', KeyId=unknown)
        self.assertAwsError(self.kinesis.start_stream_encryption, 'KMSNotFoundException',
                            'Alias arn:aws:kms:us-east-1:%s:alias/nope is not found.' % DEFAULT_ACCOUNT,
                            StreamName=name, EncryptionType='KMS', KeyId='alias/nope')
        self.assertAwsError(self.kinesis.start_stream_encryption, 'KMSNotFoundException', 'Invalid keyId not-a-key',
                            StreamName=name, EncryptionType='KMS', KeyId='not-a-key')
        self.assertAwsError(self.kinesis.start_stream_encryption, 'KMSAccessDeniedException',
                            message_regex='is not authorized to perform: kms:GenerateDataKey',
                            StreamName=name, EncryptionType='KMS',
                            KeyId='arn:aws:kms:us-east-1:210987654321:key/%s' % unknown)
        self.assertEqual(self.summary(name)['EncryptionType'], 'NONE')

    def test_other_errors(self):
        name = self.new_stream()
        self.assertAwsError(self.kinesis.start_stream_encryption, 'InvalidArgumentException', StreamName=name,
                            EncryptionType='NONE', KeyId='alias/aws/kinesis')
        self.assertAwsError(self.kinesis_unvalidated.start_stream_encryption, 'ValidationException',
                            StreamName=name, EncryptionType='AES', KeyId='alias/aws/kinesis')
        self.assertAwsError(self.kinesis_unvalidated.start_stream_encryption, 'ValidationException',
                            StreamName=name, EncryptionType='KMS')
        missing = unique_name('missing')
        self.assertAwsError(self.kinesis.start_stream_encryption, 'ResourceNotFoundException',
                            self.not_found_message(missing), StreamName=missing, EncryptionType='KMS',
                            KeyId='alias/aws/kinesis')
        self.assertAwsError(self.kinesis.stop_stream_encryption, 'ResourceNotFoundException',
                            self.not_found_message(missing), StreamName=missing, EncryptionType='KMS',
                            KeyId='alias/aws/kinesis')


class EncryptionAtRestTest(unittest.TestCase):
    """The SQLite file holds ciphertext, and the records read back after a restart."""

    def test_records_are_not_plaintext_in_the_data_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, 'k.db')
            marker = b'TOP-SECRET-PAYLOAD-0123456789'
            visible = b'VISIBLE-PLAINTEXT-PAYLOAD-42'
            name = unique_name('rest')
            with EmulatorProcess(['--data', path]) as emu:
                k = emu.client()
                create_stream(k, name, shard_count=1)
                k.put_record(StreamName=name, PartitionKey='p', Data=visible)
                k.start_stream_encryption(StreamName=name, EncryptionType='KMS', KeyId='alias/aws/kinesis')
                for _ in range(3):
                    k.put_record(StreamName=name, PartitionKey='p', Data=marker)
                k.put_records(StreamName=name, Records=[{'PartitionKey': 'p', 'Data': marker}] * 3)
                emu.close_clients()
            raw = b''
            for f in os.listdir(tmp):
                with open(os.path.join(tmp, f), 'rb') as fh:
                    raw += fh.read()
            self.assertIn(visible, raw)  # the unencrypted record is there in clear: the grep itself works
            self.assertNotIn(marker, raw)
            with EmulatorProcess(['--data', path]) as emu:
                k = emu.client()
                records = read_shard(k, name, shard_id(0))
                self.assertEqual([r['Data'] for r in records], [visible] + [marker] * 6)
                self.assertEqual([r.get('EncryptionType') for r in records], [None] + ['KMS'] * 6)
                emu.close_clients()


@unittest.skipIf(AWS is None, 'aws CLI not on PATH')
class EncryptionCliTest(EmulatorTestCase):

    def test_start_stream_encryption_through_the_cli(self):
        name = unique_name('cli')
        create_stream(self.kinesis, name, shard_count=1)
        env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
        env.update({'AWS_ACCESS_KEY_ID': 'AKIAEXAMPLE', 'AWS_SECRET_ACCESS_KEY': 'x', 'AWS_DEFAULT_REGION': 'us-east-1',
                    'AWS_CONFIG_FILE': os.devnull, 'AWS_SHARED_CREDENTIALS_FILE': os.devnull, 'AWS_PAGER': '',
                    'AWS_MAX_ATTEMPTS': '1'})
        base = [AWS, '--endpoint-url', self.emu.endpoint, '--output', 'json', 'kinesis']
        subprocess.run(base + ['start-stream-encryption', '--stream-name', name, '--encryption-type', 'KMS',
                               '--key-id', 'alias/aws/kinesis'], env=env, check=True, capture_output=True, timeout=120)
        self.assertEqual(self.kinesis.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']['KeyId'],
                         'alias/aws/kinesis')
        proc = subprocess.run(base + ['start-stream-encryption', '--stream-name', name, '--encryption-type', 'KMS',
                                      '--key-id', 'alias/unknown'], env=env, capture_output=True, text=True,
                              timeout=120)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn('KMSNotFoundException', proc.stderr)


if __name__ == '__main__':
    unittest.main()
