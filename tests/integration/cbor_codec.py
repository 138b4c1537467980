"""A small CBOR codec for the tests (the standard library has none): definite and indefinite lengths, tags, and
Raw bytes spliced in as they are, for requests no well-behaved encoder would make."""
import struct

CBOR_CONTENT_TYPE = 'application/x-amz-cbor-1.1'


class Raw:
    """Bytes written into the encoding verbatim (an ill-formed item, a text string that is not UTF-8, ...)."""

    def __init__(self, data):
        self.data = data


class Tag:
    def __init__(self, tag, value):
        self.tag, self.value = tag, value


def _head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    for extra, fmt in ((24, '>B'), (25, '>H'), (26, '>I'), (27, '>Q')):
        if n < (1 << (8 * struct.calcsize(fmt))):
            return bytes([major << 5 | extra]) + struct.pack(fmt, n)
    raise ValueError(n)


def encode(v, indefinite=False):
    if isinstance(v, bool):
        return b'\xf5' if v else b'\xf4'
    if isinstance(v, int):
        return _head(0, v) if v >= 0 else _head(1, -1 - v)
    if isinstance(v, bytes):
        return _head(2, len(v)) + v
    if isinstance(v, str):
        b = v.encode()
        return _head(3, len(b)) + b
    if isinstance(v, Raw):
        return v.data
    if isinstance(v, Tag):
        return _head(6, v.tag) + encode(v.value)
    if isinstance(v, list):
        if indefinite:
            return b'\x9f' + b''.join(encode(e, indefinite) for e in v) + b'\xff'
        return _head(4, len(v)) + b''.join(encode(e) for e in v)
    if isinstance(v, dict):
        if indefinite:  # Jackson (Java SDK) writes indefinite-length maps
            return b'\xbf' + b''.join(encode(k) + encode(x, indefinite) for k, x in v.items()) + b'\xff'
        return _head(5, len(v)) + b''.join(encode(k) + encode(x) for k, x in v.items())
    raise TypeError(type(v))


def decode(data):
    value, rest = _decode(memoryview(data))
    assert not rest, 'trailing bytes'
    return value


def _decode(b):
    ib = b[0]
    major, info = ib >> 5, ib & 31
    b = b[1:]
    if major == 7:
        if ib == 0xf5:
            return True, b
        if ib == 0xf4:
            return False, b
        if ib == 0xf6:
            return None, b
        if ib == 0xfb:
            return struct.unpack('>d', b[:8])[0], b[8:]
        raise ValueError(hex(ib))
    if info < 24:
        n = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        n = int.from_bytes(b[:size], 'big')
        b = b[size:]
    if major == 0:
        return n, b
    if major == 1:
        return -1 - n, b
    if major in (2, 3):
        v = bytes(b[:n])
        return (v if major == 2 else v.decode()), b[n:]
    if major == 4:
        out = []
        for _ in range(n):
            x, b = _decode(b)
            out.append(x)
        return out, b
    if major == 5:
        out = {}
        for _ in range(n):
            k, b = _decode(b)
            out[k], b = _decode(b)
        return out, b
    if major == 6:
        v, b = _decode(b)
        return Tag(n, v), b
    raise ValueError(major)
