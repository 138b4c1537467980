#!/usr/bin/env python3
"""A keep-alive PutRecord client for bench/callgrind_put_record.sh: the same signed request, sent N times."""
import argparse
import http.client
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'integration'))
from emulator_process import DEFAULT_ACCOUNT, DEFAULT_REGION, TARGET_PREFIX, sign_headers  # noqa: E402

STREAM = 'callgrind'


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--create', action='store_true', help='create the stream and exit')
    p.add_argument('--by', choices=('name', 'arn'), default='name')
    p.add_argument('--requests', type=int, default=1000)
    a = p.parse_args()
    conn = http.client.HTTPConnection('127.0.0.1', a.port)

    def send(operation, body, times=1):
        data = json.dumps(body).encode()
        headers = sign_headers(a.port, data, target=TARGET_PREFIX + operation)  # the server checks shape, not age
        for _ in range(times):
            conn.request('POST', '/', body=data, headers=headers)
            resp = conn.getresponse()
            answer = resp.read()
            if resp.status != 200:
                sys.exit('%s: %d %r' % (operation, resp.status, answer[:200]))

    if a.create:
        send('CreateStream', {'StreamName': STREAM, 'ShardCount': 1})
        return
    body = {'PartitionKey': 'k', 'Data': 'QUFBQUFBQUFBQUFBQUFBQQ=='}
    if a.by == 'name':
        body['StreamName'] = STREAM
    else:
        body['StreamARN'] = 'arn:aws:kinesis:%s:%s:stream/%s' % (DEFAULT_REGION, DEFAULT_ACCOUNT, STREAM)
    send('PutRecord', body, a.requests)


if __name__ == '__main__':
    main()
