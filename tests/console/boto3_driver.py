#!/usr/bin/env python3
"""boto3 behind a pipe, so the Node browser tests make their state with a real AWS client.

    python3 boto3_driver.py <endpoint url>

Reads one JSON request per line from stdin: {"id": 1, "method": "put_record", "params": {...},
"account": "111111111111", "region": "eu-west-1"} and answers one JSON line: {"id": 1, "result": {...}} or
{"id": 1, "error": "<AWS error code>", "message": "..."}. A "Data" parameter given as a string is sent as its UTF-8
bytes; bytes in results come back base64-encoded and timestamps as ISO strings. Retries are off, so an injected
fault reaches the caller. The account is the access key id (12 digits), as the emulator reads it.
"""

import base64
import datetime
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ENDPOINT = sys.argv[1]
CONFIG = Config(retries={'total_max_attempts': 1, 'mode': 'standard'}, connect_timeout=5, read_timeout=30)
clients = {}


def client(account, region):
    key = (account, region)
    if key not in clients:
        clients[key] = boto3.client('kinesis', endpoint_url=ENDPOINT, region_name=region,
                                    aws_access_key_id=account, aws_secret_access_key='driver-secret',
                                    config=CONFIG)
    return clients[key]


def plain(value):
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode('ascii')
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        params = dict(req.get('params') or {})
        if isinstance(params.get('Data'), str):
            params['Data'] = params['Data'].encode('utf-8')
        answer = {'id': req['id']}
        try:
            result = getattr(client(req.get('account', '000000000000'), req.get('region', 'us-east-1')),
                             req['method'])(**params)
            result.pop('ResponseMetadata', None)
            answer['result'] = result
        except ClientError as e:
            answer['error'] = e.response['Error']['Code']
            answer['message'] = e.response['Error'].get('Message', '')
        except Exception as e:  # a bad request from the test itself
            answer['error'] = type(e).__name__
            answer['message'] = str(e)
        sys.stdout.write(json.dumps(answer, default=plain) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
