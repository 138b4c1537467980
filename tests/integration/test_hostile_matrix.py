"""A hostile-input matrix generated from the API model: no single request may take the emulator down.

For every operation and every member of its input shape (recursively: list members, map keys and values, nested
structures), a request is made from a valid one by putting into that member, in turn: an empty value, values just
past each of its constraints, a 1 MiB string (after a valid prefix, and one made of '/'), a 100,000-element list or
map, the wrong JSON type, a value nested 100,000 deep, a string that is not UTF-8, and one with a NUL byte. Each
request goes once as JSON and once as CBOR. Because the cases come from the model, a new action or member is covered
without anyone writing a case.

Every answer must be 200 or a 4xx with an AWS-shaped error in the request's protocol (the __type one the model lists
for the operation, or a protocol-level one), and where the model decides the outcome (a type mismatch, a broken
constraint) it must be exactly that error. The process must stay up throughout and its memory bounded.

KEMU_MATRIX_ONLY=PutRecord,ListShards limits the run to some operations (for debugging).
"""

import base64
import http.client
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cbor_codec import CBOR_CONTENT_TYPE, Tag, decode as cbor_decode, encode as cbor_encode  # noqa: E402
from emulator_process import (DEFAULT_ACCOUNT, DEFAULT_REGION, JSON_CT, REPO_ROOT, TARGET_PREFIX,  # noqa: E402
                              EmulatorTestCase, create_stream, stream_arn)

MODEL_PATH = os.path.join(REPO_ROOT, 'emulator', 'src', 'api', 'kinesis_api_model.json')
MIB = 1 << 20
HUGE_COUNT = 100_000
DEEP = 100_000
INT32_MAX = 2 ** 31 - 1
AUTHORIZATION = ('AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/kinesis/aws4_request, '
                 'SignedHeaders=host;x-amz-date, Signature=00')
# Errors any operation may answer besides the ones its model entry lists: the protocol layer's.
PROTOCOL_ERRORS = {'SerializationException', 'ValidationException', 'UnknownOperationException'}
ANY = 'any'  # expectation: 200, or a 4xx the operation may answer


def load_model():
    with open(MODEL_PATH) as f:
        return json.load(f)


class Blob:
    def __init__(self, data):
        self.data = data


class Timestamp:
    def __init__(self, ms):
        self.ms = ms


class Deep:
    """A value nested `depth` arrays deep."""

    def __init__(self, depth):
        self.depth = depth


class NotUtf8:
    """A string value whose bytes are not UTF-8."""


class ExtraMembers:
    """Members spliced into the object that holds this value (under any key); their encodings are made once and
    shared by every request that carries them."""

    def __init__(self, members):
        self.members = members
        self.encoded = {}  # encoder -> (count, bytes)


# 100,000 members no operation has (AWS ignores them), added to every operation's valid request.
UNKNOWN_MEMBERS = ExtraMembers({'Unknown%d' % i: [i] for i in range(HUGE_COUNT)})


def rss_kib(pid, field='VmRSS'):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith(field + ':'):
                return int(line.split()[1])
    raise AssertionError('no %s for pid %d' % (field, pid))


# -- wire encodings -----------------------------------------------------------------------------------------------



def _encoder(scalar, container):
    """An encoder that writes each distinct object once per body: a 100,000-element list or map of one shared value
    costs one encoding of it (building those bodies dominated the test's time)."""

    def encode(value):
        memo = {}

        def enc(v):  # the body holds every value while it is encoded, so an id names one object throughout
            key = id(v)
            if key not in memo:
                memo[key] = container(v, enc) if isinstance(v, (dict, list)) else scalar(v)
            return memo[key]

        return enc(value)

    return encode


def _json_scalar(v):
    if isinstance(v, Blob):
        return json.dumps(base64.b64encode(v.data).decode()).encode()
    if isinstance(v, Timestamp):
        return json.dumps(v.ms / 1000.0).encode()
    if isinstance(v, Deep):
        return b'[' * v.depth + b']' * v.depth
    if isinstance(v, NotUtf8):
        return b'"a\xff\xfe\xc0\x80b"'
    return json.dumps(v).encode()


def _json_container(v, enc):
    if isinstance(v, list):
        return b'[' + b','.join(enc(x) for x in v) + b']'
    parts = []
    for k, x in v.items():
        if isinstance(x, ExtraMembers):
            if 'json' not in x.encoded:
                x.encoded['json'] = b','.join(json.dumps(k2).encode() + b':' + enc(x2) for k2, x2 in x.members.items())
            parts.append(x.encoded['json'])
        else:
            parts.append(json.dumps(k).encode() + b':' + enc(x))
    return b'{' + b','.join(parts) + b'}'


def _cbor_scalar(v):
    if isinstance(v, Blob):
        return cbor_encode(v.data)
    if isinstance(v, Timestamp):
        return cbor_encode(Tag(1, v.ms))
    if isinstance(v, Deep):
        return b'\x81' * v.depth + b'\x80'
    if isinstance(v, NotUtf8):
        return b'\x66a\xff\xfe\xc0\x80b'
    return cbor_encode(v)


def _cbor_container(v, enc):
    if isinstance(v, list):
        return _cbor_head(4, len(v)) + b''.join(enc(x) for x in v)
    count, parts = 0, []
    for k, x in v.items():
        if isinstance(x, ExtraMembers):
            if 'cbor' not in x.encoded:
                x.encoded['cbor'] = b''.join(cbor_encode(k2) + enc(x2) for k2, x2 in x.members.items())
            count += len(x.members)
            parts.append(x.encoded['cbor'])
        else:
            count += 1
            parts.append(cbor_encode(k) + enc(x))
    return _cbor_head(5, count) + b''.join(parts)


def _cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, 'big')
    raise ValueError(n)


# JSON or CBOR bytes for a request; Deep and NotUtf8 become bytes no well-behaved encoder would write.
to_json_body = _encoder(_json_scalar, _json_container)
to_cbor_body = _encoder(_cbor_scalar, _cbor_container)


# -- the matrix ---------------------------------------------------------------------------------------------------


class Case:
    def __init__(self, operation, path, variant, body, expect):
        self.operation, self.path, self.variant, self.body, self.expect = operation, path, variant, body, expect

    def __repr__(self):
        return '%s %s <- %s' % (self.operation, '.'.join(str(p) for p in self.path) or '(input)', self.variant)


class MatrixBuilder:
    """Valid requests and their mutations, all derived from the model's shapes."""

    def __init__(self, model, context):
        self.shapes = model['shapes']
        self.operations = model['operations']
        self.ctx = context  # operation -> dict of real identifiers (stream, ARNs, iterator, ...)

    # A valid value for a member, preferring real identifiers so the call reaches the action.
    def valid(self, shape_name, member, op):
        s = self.shapes[shape_name]
        known = self.ctx[op].get(member)
        if known is not None and s['type'] in ('string', 'integer', 'long'):
            return known
        t = s['type']
        if t == 'string':
            if 'enum' in s:
                return s['enum'][0]
            if shape_name == 'HashKey':
                return '1'
            if shape_name == 'SequenceNumber':
                return self.ctx[op]['sequence_number']
            if shape_name == 'StreamId':
                return 'abcdefghij0123456789-abc'
            return 'x' * max(1, s.get('min', 1))
        if t == 'blob':
            return Blob(b'\x01')
        if t in ('integer', 'long'):
            return max(s.get('min', 1), 1)
        if t == 'boolean':
            return False
        if t == 'timestamp':
            return Timestamp(int(time.time() * 1000) - 60_000)
        if t == 'structure':
            required = set(s.get('required', []))
            return {name: self.valid(m, name, op) for name, m in s.get('members', []) if name in required}
        if t == 'list':
            return [self.valid(s['member'], member, op)]
        if t == 'map':
            return {'k': self.valid(s['value'], member, op)}
        raise AssertionError(t)

    def base_request(self, op):
        shape = self.shapes[self.operations[op]['input']]
        body = {}
        for name, m in shape.get('members', []):
            if name in shape.get('required', []) or name in self.ctx[op]:
                body[name] = self.valid(m, name, op)
        return body

    # Each variant: (name, value, expectation). Expectation: an exact __type, or ANY.
    def variants(self, shape_name, member, op, valid):
        s = self.shapes[shape_name]
        t = s['type']
        lo, hi = s.get('min'), s.get('max')
        out = []
        # An empty value.
        empty = {'string': '', 'blob': Blob(b''), 'list': [], 'map': {}, 'structure': {}, 'integer': 0, 'long': 0,
                 'timestamp': Timestamp(0)}.get(t)
        if empty is not None:
            broken = (lo is not None and lo >= 1 and t in ('string', 'blob', 'list', 'map')) or \
                (t in ('integer', 'long') and ((lo is not None and lo > 0) or (hi is not None and hi < 0))) or \
                (t == 'string' and ('pattern' in s or 'enum' in s))
            out.append(('empty', empty, 'ValidationException' if broken else ANY))
        # Just past each constraint.
        if t == 'string':
            pad = valid if isinstance(valid, str) and valid else 'a'
            if hi is not None:
                out.append(('length_max+1', (pad + 'a' * (hi + 1))[:hi + 1], 'ValidationException'))
            if lo is not None and lo > 1:
                out.append(('length_min-1', 'a' * (lo - 1), 'ValidationException'))
            if 'pattern' in s:
                out.append(('pattern_broken', pad + ' !', 'ValidationException'))
            if 'enum' in s:
                out.append(('enum_broken', 'NOT_IN_THE_ENUM', 'ValidationException'))
        elif t == 'blob':
            if hi is not None:
                out.append(('length_max+1', Blob(b'\0' * (hi + 1)), 'ValidationException'))
            if lo is not None and lo > 0:
                out.append(('length_min-1', Blob(b'\0' * (lo - 1)), 'ValidationException'))
        elif t in ('integer', 'long'):
            limit = INT32_MAX if t == 'integer' else 2 ** 63 - 1
            if hi is not None and hi < limit:
                out.append(('value_max+1', hi + 1, 'ValidationException'))
            if lo is not None and lo > -limit:
                out.append(('value_min-1', lo - 1, 'ValidationException'))
        elif t == 'list':
            if hi is not None:
                out.append(('size_max+1', [valid[0]] * (hi + 1), 'ValidationException'))
            if lo is not None and lo > 1:
                out.append(('size_min-1', [valid[0]] * (lo - 1), 'ValidationException'))
        elif t == 'map':
            v0 = next(iter(valid.values()))
            if hi is not None:
                out.append(('size_max+1', {'k%d' % i: v0 for i in range(hi + 1)}, 'ValidationException'))
        # A 1 MiB string: after a valid prefix (what overflowed std::regex), and made of slashes.
        too_long = t == 'string' and hi is not None and hi < MIB
        prefix = valid if isinstance(valid, str) else 'a'
        mib_expect = 'SerializationException' if t != 'string' and t != 'blob' else (
            'ValidationException' if too_long else ANY)
        if t == 'blob':
            out.append(('mib_string', 'QUFB' * (MIB // 4), ANY))  # valid base64: 768 KiB of data
        else:
            out.append(('mib_string', prefix + 'a' * (MIB - len(prefix)), mib_expect))
            out.append(('mib_slashes', prefix + '/' * (MIB - len(prefix)), mib_expect))
        # 100,000 elements.
        if t == 'list':
            out.append(('huge_list', [valid[0]] * HUGE_COUNT,
                        'ValidationException' if hi is not None and hi < HUGE_COUNT else ANY))
        elif t == 'map':
            v0 = next(iter(valid.values()))
            out.append(('huge_map', {'k%d' % i: v0 for i in range(HUGE_COUNT)},
                        'ValidationException' if hi is not None and hi < HUGE_COUNT else ANY))
        else:
            out.append(('huge_list', ['a'] * HUGE_COUNT, 'SerializationException'))
        # The wrong JSON type.
        wrong = {'string': 12345, 'blob': True, 'integer': 'x', 'long': 'x', 'boolean': 'yes', 'timestamp': 'x',
                 'structure': 'x', 'list': {'a': 1}, 'map': [1]}[t]
        out.append(('wrong_type', wrong, 'SerializationException'))
        # Nested 100,000 deep, not UTF-8, and a NUL byte.
        out.append(('deep', Deep(DEEP), 'SerializationException'))
        out.append(('not_utf8', NotUtf8(), 'SerializationException'))
        nul_expect = ANY if t == 'string' else 'SerializationException'
        if t == 'string' and 'enum' in s:
            nul_expect = 'ValidationException'
        elif t == 'string' and s.get('pattern', '').startswith(('[', '0|')):
            nul_expect = 'ValidationException'
        out.append(('nul_byte', prefix + '\x00b', nul_expect))
        return out

    def member_paths(self, shape_name, op, valid, path=()):
        """(path, shape, member name, valid value at path) for every member below `shape_name`, recursively."""
        s = self.shapes[shape_name]
        if s['type'] == 'structure':
            for name, m in s.get('members', []):
                v = valid.get(name) if isinstance(valid, dict) and name in valid else self.valid(m, name, op)
                yield path + (name,), m, name, v
                yield from self.member_paths(m, op, v, path + (name,))
        elif s['type'] == 'list':
            member = path[-1] if path else ''
            v = valid[0] if valid else self.valid(s['member'], member, op)
            yield path + (0,), s['member'], member, v
            yield from self.member_paths(s['member'], op, v, path + (0,))
        elif s['type'] == 'map':
            yield path + ('<key>',), s['key'], '', 'k'
            v = next(iter(valid.values())) if valid else self.valid(s['value'], '', op)
            yield path + ('k',), s['value'], '', v

    def cases(self, op):
        base = self.base_request(op)
        input_shape = self.operations[op]['input']
        # The input itself: not an object, nested deep, not UTF-8, or an object of 100,000 unknown members.
        for variant, body, expect in (('input_list', [base], 'SerializationException'),
                                      ('input_string', 'x', 'SerializationException'),
                                      ('input_deep', Deep(DEEP), 'SerializationException'),
                                      ('input_not_utf8', NotUtf8(), 'SerializationException'),
                                      ('input_unknown_members', dict(base, Unknown=UNKNOWN_MEMBERS), ANY)):
            yield Case(op, (), variant, body, expect)
        for path, shape_name, member, valid in self.member_paths(input_shape, op, base):
            for variant, value, expect in self.variants(shape_name, member, op, valid):
                if path[-1] == '<key>':
                    if not isinstance(value, str):
                        continue  # a map key is always a string on the wire
                    body = put_key(base, path[:-1], value)
                else:
                    body = put(base, path, value)
                yield Case(op, path, variant, body, expect)


def _copy(v):
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_copy(x) for x in v]
    return v


def put(base, path, value):
    """A copy of `base` with `value` at `path` (creating the containers on the way)."""
    body = _copy(base)
    node = body
    for i, key in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(node, list):
            node = node[key]
            continue
        if key not in node or not isinstance(node[key], (dict, list)):
            node[key] = [{}] if isinstance(nxt, int) else {}
        elif isinstance(nxt, int) and not node[key]:
            node[key].append({})
        node = node[key]
    last = path[-1]
    if isinstance(node, list):
        node[last] = value
    else:
        node[last] = value
    return body


def put_key(base, path, key):
    body = _copy(base)
    node = body
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = {key: 'v'}
    return body


class HostileMatrixTest(EmulatorTestCase):
    """One emulator; every operation gets its own stream (and consumer), so a call that succeeds cannot take the
    state another operation's cases need."""

    emulator_args = ('--update-stream-ms', '0')

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.model = load_model()
        only = os.environ.get('KEMU_MATRIX_ONLY')
        cls.ops = sorted(o for o in cls.model['operations'] if not only or o in only.split(','))
        ctx = {}
        for op in cls.ops:
            name = 'hm-' + op.lower()
            create_stream(cls.kinesis, name, shard_count=2)
            arn = stream_arn(name)
            consumer = cls.kinesis.register_stream_consumer(StreamARN=arn, ConsumerName='hm-consumer')
            put = cls.kinesis.put_record(StreamName=name, PartitionKey='k', Data=b'x')
            iterator = cls.kinesis.get_shard_iterator(StreamName=name, ShardId=put['ShardId'],
                                                      ShardIteratorType='TRIM_HORIZON')['ShardIterator']
            ctx[op] = {
                'StreamName': name, 'StreamARN': arn, 'ResourceARN': arn,
                'ConsumerARN': consumer['Consumer']['ConsumerARN'], 'ConsumerName': 'hm-consumer',
                'ShardId': put['ShardId'], 'ShardToSplit': 'shardId-000000000000',
                'AdjacentShardToMerge': 'shardId-000000000001', 'ShardIterator': iterator,
                'sequence_number': put['SequenceNumber'], 'NewStartingHashKey': str(2 ** 127),
                'KeyId': 'alias/aws/kinesis', 'RetentionPeriodHours': 48, 'TargetShardCount': 2,
                'Policy': json.dumps({'Version': '2012-10-17', 'Statement': []}),
            }
        cls.builder = MatrixBuilder(cls.model, ctx)
        cls.rss_start = rss_kib(cls.emu.proc.pid)

    def _connection(self):
        return http.client.HTTPConnection('127.0.0.1', self.emu.port, timeout=60)

    def send(self, conn, case, protocol):
        body = to_json_body(case.body) if protocol == 'json' else to_cbor_body(case.body)
        content_type = JSON_CT if protocol == 'json' else CBOR_CONTENT_TYPE
        conn.request('POST', '/', body=body, headers={
            'Content-Type': content_type, 'X-Amz-Target': TARGET_PREFIX + case.operation,
            'X-Amz-Date': '20260101T000000Z', 'Authorization': AUTHORIZATION})
        resp = conn.getresponse()
        content_type = resp.getheader('Content-Type')
        if resp.status == 200 and content_type == 'application/vnd.amazon.eventstream':
            conn.close()  # a SubscribeToShard stream that would run for minutes: its head is the answer
            return resp.status, content_type, resp.getheader('x-amzn-RequestId'), b''
        return resp.status, content_type, resp.getheader('x-amzn-RequestId'), resp.read()

    def check(self, case, protocol, status, content_type, request_id, data, failures):
        where = '%s [%s]' % (case, protocol)
        if self.emu.proc.poll() is not None:
            raise AssertionError('the emulator exited (%s) after %s' % (self.emu.proc.returncode, where))
        if not request_id:
            failures.append('%s: no x-amzn-RequestId' % where)
        if status == 200:
            if case.expect != ANY:
                failures.append('%s: 200, expected %s' % (where, case.expect))
            return
        if not 400 <= status < 500:
            failures.append('%s: HTTP %d %r' % (where, status, data[:300]))
            return
        expected_type = JSON_CT if protocol == 'json' else CBOR_CONTENT_TYPE
        if content_type != expected_type:
            failures.append('%s: %d with content type %r' % (where, status, content_type))
            return
        try:
            err = json.loads(data) if protocol == 'json' else cbor_decode(data)
        except Exception as e:  # noqa: BLE001 - any decoding failure is the finding
            failures.append('%s: error body does not decode (%s): %r' % (where, e, data[:300]))
            return
        error_type = err.get('__type') if isinstance(err, dict) else None
        allowed = set(self.model['operations'][case.operation].get('errors', [])) | PROTOCOL_ERRORS
        if error_type not in allowed:
            failures.append('%s: __type %r is not one %s answers' % (where, error_type, case.operation))
        elif case.expect != ANY and error_type != case.expect:
            failures.append('%s: %s (%r), expected %s' % (where, error_type,
                                                           str(err.get('message') or err.get('Message'))[:200],
                                                           case.expect))
        if status != 400:
            failures.append('%s: HTTP %d for %s (AWS answers client errors with 400)' % (where, status, error_type))

    def test_every_member_of_every_operation(self):
        failures, counts, variants, members, slow = [], {}, set(), set(), []
        peak = 0
        started = time.monotonic()
        for protocol in ('json', 'cbor'):
            conn = self._connection()
            for op in self.ops:
                for case in self.builder.cases(op):
                    try:
                        sent = time.monotonic()
                        result = self.send(conn, case, protocol)
                        slow.append((time.monotonic() - sent, repr(case), protocol))
                    except (OSError, http.client.HTTPException) as e:
                        conn.close()
                        if self.emu.proc.poll() is not None:
                            self.fail('the emulator exited (%s) on %s [%s]' % (self.emu.proc.returncode, case,
                                                                               protocol))
                        failures.append('%s [%s]: connection failed: %r' % (case, protocol, e))
                        conn = self._connection()
                        continue
                    self.check(case, protocol, *result, failures)
                    counts[op] = counts.get(op, 0) + 1
                    variants.add(case.variant)
                    members.add((op, case.path))
                peak = max(peak, rss_kib(self.emu.proc.pid))
            conn.close()
        total = sum(counts.values())
        sys.stderr.write('\nhostile matrix: %d operations x %d members x %d variants: %d requests in %.1f s, '
                         'RSS %d -> %d KiB (peak seen %d, high-water %d)\n' % (
                             len(counts), len(members), len(variants), total, time.monotonic() - started,
                             self.rss_start, rss_kib(self.emu.proc.pid), peak,
                             rss_kib(self.emu.proc.pid, 'VmHWM')))
        for seconds, case, protocol in sorted(slow, reverse=True)[:8]:
            sys.stderr.write('  slowest: %.2f s %s [%s]\n' % (seconds, case, protocol))
        self.assertEqual(sorted(counts), self.ops, 'every operation produced cases')
        self.assertFalse(failures, '%d of %d requests answered wrongly:\n%s' % (
            len(failures), total, '\n'.join(failures[:80])))
        # Still serving, with its state: every operation's stream is still listed (DeleteStream's aside).
        names = set(self.kinesis.list_streams(Limit=100)['StreamNames'])
        for op in self.ops:
            if op != 'DeleteStream':
                self.assertIn('hm-' + op.lower(), names)
        bound_mib = int(os.environ.get('KEMU_RSS_BOUND_MIB', '400'))
        grown = rss_kib(self.emu.proc.pid) - self.rss_start
        self.assertLess(grown, bound_mib * 1024, 'VmRSS grew by %d KiB (bound %d MiB)' % (grown, bound_mib))


if __name__ == '__main__':
    unittest.main()
