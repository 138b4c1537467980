"""Hostile HTTP/2: frame floods and oversized requests on one h2c connection never take the emulator down.

Each case writes raw HTTP/2 frames (a tiny encoder below; header blocks are HPACK literals) on its own connection,
then checks that the emulator still answers a boto3 client at once and that its memory (VmRSS) stayed bounded.
Where a case has a protocol answer to check (413 for an oversized body, GOAWAY ENHANCE_YOUR_CALM for a connection
that holds too much unfinished request data), `nghttp` or the frames read back show it.
"""

import os
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
import unittest

from emulator_process import EmulatorTestCase, JSON_CT, TARGET_PREFIX, create_stream, sign_headers, unique_name

PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = 0, 1, 3, 4, 6, 7, 8, 9
END_STREAM, END_HEADERS, ACK = 0x1, 0x4, 0x1
CANCEL, ENHANCE_YOUR_CALM = 0x8, 0xb
BODY_CAP = 16 * 1024 * 1024
RSS_BOUND_KIB = 400 * 1024  # far above what the emulator needs, far below what unbounded buffering would take


def frame(ftype, flags, stream_id, payload=b''):
    return struct.pack('>I', len(payload))[1:] + bytes([ftype, flags]) + struct.pack('>I', stream_id) + payload


def hpack_int(value, prefix_bits, first_byte=0):
    limit = (1 << prefix_bits) - 1
    if value < limit:
        return bytes([first_byte | value])
    out = bytearray([first_byte | limit])
    value -= limit
    while value >= 128:
        out.append((value & 0x7f) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def hpack_literal(name, value):
    """A literal header field without indexing, new name, no Huffman coding."""
    name, value = name.encode(), value.encode()
    return b'\x00' + hpack_int(len(name), 7) + name + hpack_int(len(value), 7) + value


def request_block(port, operation='PutRecord', extra=()):
    fields = [(':method', 'POST'), (':scheme', 'http'), (':path', '/'), (':authority', '127.0.0.1:%d' % port),
              ('content-type', JSON_CT), ('x-amz-target', TARGET_PREFIX + operation)] + list(extra)
    return b''.join(hpack_literal(n, v) for n, v in fields)


def rss_kib(pid):
    with open('/proc/%d/status' % pid) as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    raise AssertionError('no VmRSS for pid %d' % pid)


class FrameReader(threading.Thread):
    """Reads frames off a socket in the background so the server never blocks on a full socket buffer."""

    def __init__(self, sock):
        super().__init__(daemon=True)
        self.sock = sock
        self.frames = []  # (type, flags, stream id, first 8 payload bytes)
        self.closed = threading.Event()

    def run(self):
        buf = b''
        try:
            while True:
                chunk = self.sock.recv(1 << 16)
                if not chunk:
                    break
                buf += chunk
                while len(buf) >= 9:
                    length = int.from_bytes(buf[:3], 'big')
                    if len(buf) < 9 + length:
                        break
                    self.frames.append((buf[3], buf[4], int.from_bytes(buf[5:9], 'big') & 0x7fffffff,
                                        buf[9:9 + min(length, 8)]))
                    buf = buf[9 + length:]
        except OSError:
            pass
        self.closed.set()

    def goaway_codes(self):
        return [struct.unpack('>I', p[4:8])[0] for t, _, _, p in self.frames if t == GOAWAY and len(p) >= 8]


class HostileHttp2Test(EmulatorTestCase):

    emulator_args = ('--io-timeout', '2')

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stream = unique_name('h2hostile')
        create_stream(cls.kinesis, cls.stream, shard_count=1)

    def setUp(self):
        super().setUp()
        self.sockets = []
        self.addCleanup(lambda: [s.close() for s in self.sockets])

    def open_h2(self):
        s = socket.create_connection(('127.0.0.1', self.emu.port), timeout=30)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
        self.sockets.append(s)
        s.sendall(PREFACE + frame(SETTINGS, 0, 0))
        reader = FrameReader(s)
        reader.start()
        return s, reader

    def send_quietly(self, sock, data):
        """sendall that treats the server closing the connection as an answer, not a failure."""
        try:
            sock.sendall(data)
            return True
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            return False

    def assert_still_serving(self):
        start = time.monotonic()
        self.assertIn('StreamNames', self.kinesis.list_streams())
        self.assertLess(time.monotonic() - start, 5.0)
        self.assertLess(rss_kib(self.emu.proc.pid), RSS_BOUND_KIB)

    def test_body_over_cap_is_answered_413(self):
        if shutil.which('nghttp') is None:
            self.skipTest('nghttp (Debian nghttp2-client) is not installed')
        with tempfile.NamedTemporaryFile() as body:
            body.write(b' ' * (BODY_CAP + 1))
            body.flush()
            out = subprocess.run(['nghttp', '-v', '-d', body.name, '-H', 'content-type: ' + JSON_CT,
                                  '-H', 'x-amz-target: %sPutRecord' % TARGET_PREFIX,
                                  'http://127.0.0.1:%d/' % self.emu.port],
                                 capture_output=True, text=True, timeout=60)
        self.assertIn(':status: 413', out.stdout, out.stdout[-2000:] + out.stderr[-2000:])
        self.assert_still_serving()

    def test_body_at_cap_is_read(self):
        if shutil.which('nghttp') is None:
            self.skipTest('nghttp (Debian nghttp2-client) is not installed')
        prefix = b'{"StreamName": "%s"}' % self.stream.encode()
        payload = prefix + b' ' * (BODY_CAP - len(prefix))
        headers = sign_headers(self.emu.port, payload, TARGET_PREFIX + 'DescribeStreamSummary')
        args = ['nghttp', '-v']
        for name, value in headers.items():
            if name.lower() not in ('host', 'content-length'):
                args += ['-H', '%s: %s' % (name.lower(), value)]
        with tempfile.NamedTemporaryFile() as body:
            body.write(payload)
            body.flush()
            out = subprocess.run(args + ['-d', body.name, 'http://127.0.0.1:%d/' % self.emu.port],
                                 capture_output=True, text=True, timeout=60)
        self.assertIn(':status: 200', out.stdout, out.stdout[-2000:] + out.stderr[-2000:])

    def test_many_streams_holding_unfinished_bodies(self):
        # 128 streams (the advertised concurrency) each sending 1 MiB of body and never finishing: more than the
        # connection may hold at once, so the server ends the connection with ENHANCE_YOUR_CALM.
        s, reader = self.open_h2()
        chunk = b' ' * 16384
        for i in range(128):
            sid = 2 * i + 1
            if not self.send_quietly(s, frame(HEADERS, END_HEADERS, sid, request_block(self.emu.port))):
                break
            if not self.send_quietly(s, b''.join(frame(DATA, 0, sid, chunk) for _ in range(64))):
                break
        self.assertTrue(reader.closed.wait(20), 'the connection is still open')
        self.assertIn(ENHANCE_YOUR_CALM, reader.goaway_codes())
        self.assert_still_serving()

    def test_ping_flood(self):
        s, reader = self.open_h2()
        pings = b''.join(frame(PING, 0, 0, struct.pack('>Q', i)) for i in range(10000))
        for _ in range(20):  # 200,000 PINGs
            if not self.send_quietly(s, pings):
                break
        self.assert_still_serving()
        s.close()

    def test_settings_flood(self):
        s, reader = self.open_h2()
        settings = frame(SETTINGS, 0, 0, struct.pack('>HI', 0x3, 100)) * 10000
        for _ in range(20):
            if not self.send_quietly(s, settings):
                break
        self.assert_still_serving()

    def test_rapid_reset(self):
        # Open a request and cancel it at once, many thousand times (CVE-2023-44487's pattern).
        s, reader = self.open_h2()
        block = request_block(self.emu.port)
        burst = b''
        for i in range(20000):
            sid = 2 * i + 1
            burst += frame(HEADERS, END_HEADERS, sid, block) + frame(RST_STREAM, 0, sid, struct.pack('>I', CANCEL))
            if len(burst) > 1 << 20:
                if not self.send_quietly(s, burst):
                    break
                burst = b''
        self.send_quietly(s, burst)
        self.assert_still_serving()

    def test_header_block_over_a_mebibyte(self):
        # One request whose headers, split over CONTINUATION frames, add up to 2 MiB: its stream is reset or the
        # connection is ended; either way nothing is answered 200 and the server keeps serving.
        s, reader = self.open_h2()
        big = [('x-pad-%d' % i, 'v' * 8000) for i in range(256)]
        block = request_block(self.emu.port, 'ListStreams', big)
        pieces = [block[i:i + 16384] for i in range(0, len(block), 16384)]
        data = frame(HEADERS, 0, 1, pieces[0])
        for j, piece in enumerate(pieces[1:], 1):
            data += frame(CONTINUATION, END_HEADERS if j == len(pieces) - 1 else 0, 1, piece)
        self.send_quietly(s, data + frame(DATA, END_STREAM, 1, b'{}'))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not reader.closed.is_set():
            if any(t == RST_STREAM and sid == 1 for t, _, sid, _ in reader.frames):
                break
            time.sleep(0.05)
        answered = [f for f in reader.frames if f[0] == HEADERS and f[2] == 1]
        reset = [f for f in reader.frames if f[0] == RST_STREAM and f[2] == 1]
        self.assertTrue(reset or reader.closed.is_set(), 'stream 1 was neither reset nor its connection closed')
        self.assertEqual(answered, [])
        self.assert_still_serving()

    def test_continuation_without_end(self):
        # A header block that never ends: CONTINUATION frames forever. The server must stop reading it.
        s, reader = self.open_h2()
        self.send_quietly(s, frame(HEADERS, 0, 1, request_block(self.emu.port)))
        filler = frame(CONTINUATION, 0, 1, hpack_literal('x-more', 'y' * 100))
        sent = 0
        while sent < 200000 and not reader.closed.is_set():
            if not self.send_quietly(s, filler * 1000):
                break
            sent += 1000
        self.assertTrue(reader.closed.wait(10), 'the connection is still open after %d CONTINUATION frames' % sent)
        self.assert_still_serving()


if __name__ == '__main__':
    unittest.main()
