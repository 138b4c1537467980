#!/usr/bin/env python3
"""Writes the seed corpora of the request fuzz targets: one valid request per operation of the API model (the
hostile-input matrix's builder makes them), and requests whose ARNs run to tens of thousands of characters after
a valid prefix (what overflowed std::regex). The selector byte follows tests/fuzz/fuzz_operation.h: the operation's
index in name order (fuzz_endpoint: that index times two, plus one for CBOR).

    python3 tests/fuzz/make_seeds.py
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'integration'))
from test_hostile_matrix import MatrixBuilder, load_model, to_cbor_body, to_json_body  # noqa: E402

ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/s'
LONG = 30_000


def context(op):
    return {'StreamName': 's', 'StreamARN': ARN, 'ResourceARN': ARN, 'ConsumerARN': ARN + '/consumer/c:1',
            'ConsumerName': 'c', 'ShardId': 'shardId-000000000000', 'ShardToSplit': 'shardId-000000000000',
            'AdjacentShardToMerge': 'shardId-000000000001', 'ShardIterator': 'AAAA', 'sequence_number': '1',
            'NewStartingHashKey': str(2 ** 127), 'KeyId': 'alias/aws/kinesis', 'RetentionPeriodHours': 48,
            'TargetShardCount': 2, 'Policy': '{}'}


def requests(model):
    names = sorted(model['operations'])
    builder = MatrixBuilder(model, {op: context(op) for op in names})
    for index, op in enumerate(names):
        yield index, op.lower(), builder.base_request(op)
    long_ones = (('DescribeStreamSummary', 'StreamARN', ARN + 'a' * LONG),
                 ('DescribeStreamSummary', 'StreamARN', ARN + '/' * LONG),
                 ('DescribeStreamConsumer', 'ConsumerARN', ARN + '/consumer/c:' + '1' * LONG),
                 ('ListTagsForResource', 'ResourceARN', ARN + ':' * LONG))
    for op, member, value in long_ones:
        body = builder.base_request(op)
        body[member] = value
        yield names.index(op), '%s_long_%s' % (op.lower(), member.lower()), body


def write(target, name, data):
    folder = os.path.join(HERE, 'seeds', target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), 'wb') as f:
        f.write(data)


def main():
    model = load_model()
    for target in ('fuzz_wire_decode', 'fuzz_cbor_decode', 'fuzz_endpoint'):
        folder = os.path.join(HERE, 'seeds', target)
        for old in os.listdir(folder) if os.path.isdir(folder) else []:
            os.remove(os.path.join(folder, old))
    for index, name, body in requests(model):
        write('fuzz_wire_decode', name + '.json', bytes([index]) + to_json_body(body))
        write('fuzz_cbor_decode', name + '.cbor', bytes([index]) + to_cbor_body(body))
        write('fuzz_endpoint', name + '.json', bytes([index * 2]) + to_json_body(body))
        write('fuzz_endpoint', name + '.cbor', bytes([index * 2 + 1]) + to_cbor_body(body))


if __name__ == '__main__':
    main()
