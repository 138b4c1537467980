#!/usr/bin/env python3
"""Basic side-by-side benchmark: kinesis-emulator vs kinesalite.

Measures, for every selected target in one invocation:
  1. startup time  - spawn to the first answered ListStreams (raw POST every 1 ms),
                     median of N spawns; the spawns of the targets are interleaved
  2. PutRecords    - 500 x 1 KiB records per call into a 4-shard stream, 4 client
                     threads each on its own keep-alive connection, for --seconds
  3. GetRecords    - drain everything from step 2: GetShardIterator TRIM_HORIZON,
                     then GetRecords Limit 10000 until the shard is drained (one
                     thread and connection per shard)
  4. RSS           - VmRSS from /proc/<pid>/status after start and after PutRecords

Python 3.11 standard library only. See bench/README.md.
"""

import argparse
import base64
import collections
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_DIR = os.path.dirname(BENCH_DIR)
DEFAULT_EMULATOR = os.path.join(REPO_DIR, "build", "kinesis-emulator")
DEFAULT_PEERS = os.path.join(BENCH_DIR, ".peers")
KINESALITE_SPEC = "kinesalite@3"

HOST = "127.0.0.1"
STREAM = "bench-basic"
SHARDS = 4
RECORDS_PER_CALL = 500
RECORD_BYTES = 1024
PUT_THREADS = 4
GET_LIMIT = 10000

BASE_HEADERS = {
    "Content-Type": "application/x-amz-json-1.1",
    "X-Amz-Date": "20260101T000000Z",
    "Authorization": (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/"
        "kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature="
        + "0" * 64
    ),
}


def headers_for(action):
    h = dict(BASE_HEADERS)
    h["X-Amz-Target"] = "Kinesis_20131202." + action
    return h


class Failures:
    """Thread-safe failure counter that keeps the first few details."""

    def __init__(self, keep=20):
        self.lock = threading.Lock()
        self.count = 0
        self.by_action = collections.Counter()
        self.details = []
        self.keep = keep

    def add(self, phase, action, what):
        with self.lock:
            self.count += 1
            self.by_action[action] += 1
            if len(self.details) < self.keep:
                self.details.append({"phase": phase, "action": action, "what": what})


class Client:
    """One keep-alive HTTP/1.1 connection speaking the Kinesis JSON protocol."""

    def __init__(self, port, timeout=60.0):
        self.port = port
        self.timeout = timeout
        self.conn = None
        self.hdrs = {}

    def _connect(self):
        self.conn = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def raw(self, action, body_bytes):
        """Send one request; return (status, body bytes). Raises on transport errors
        (after closing the connection so the next call reconnects)."""
        if self.conn is None:
            self._connect()
        h = self.hdrs.get(action)
        if h is None:
            h = self.hdrs[action] = headers_for(action)
        try:
            self.conn.request("POST", "/", body_bytes, h)
            resp = self.conn.getresponse()
            data = resp.read()
        except Exception:
            self.close()
            raise
        if resp.will_close:
            self.close()
        return resp.status, data

    def call(self, action, payload):
        """JSON in, (status, parsed JSON or None) out."""
        status, data = self.raw(action, json.dumps(payload).encode())
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = {"_unparsed": data[:300].decode("utf-8", "replace")}
        return status, parsed


def short(x, n=300):
    s = x.decode("utf-8", "replace") if isinstance(x, (bytes, bytearray)) else str(x)
    return s if len(s) <= n else s[:n] + "..."


# --------------------------------------------------------------------------- targets


def ensure_kinesalite(peers):
    cli = os.path.join(peers, "node_modules", "kinesalite", "cli.js")
    if not os.path.exists(cli):
        npm = shutil.which("npm")
        if npm is None:
            raise SystemExit("npm not found: cannot install kinesalite")
        print(f"installing {KINESALITE_SPEC} into {peers} ...", flush=True)
        os.makedirs(peers, exist_ok=True)
        subprocess.run(
            [npm, "install", "--prefix", peers, "--no-audit", "--no-fund", KINESALITE_SPEC],
            check=True, stdout=subprocess.DEVNULL,
        )
    return cli


def kinesalite_version(peers):
    try:
        with open(os.path.join(peers, "node_modules", "kinesalite", "package.json")) as f:
            return json.load(f).get("version")
    except OSError:
        return None


def make_targets(args):
    targets = {}
    emu = args.emulator

    def emu_argv(port):
        return [emu, "--port", str(port)]

    targets["kinesis-emulator"] = {"argv": emu_argv, "ready_marker": "ready on http://"}

    def kl_argv(port):
        cli = os.path.join(args.peers, "node_modules", "kinesalite", "cli.js")
        # kinesalite's cli treats --port 0 as "default 4567", so a free port is picked for it.
        return ["node", cli, "--port", str(port), "--createStreamMs", "0",
                "--deleteStreamMs", "0", "--updateStreamMs", "0", "--shardLimit", "10000"]

    targets["kinesalite"] = {"argv": kl_argv, "ready_marker": "Listening at"}
    return targets


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """A spawned server process whose merged stdout/stderr is drained by a thread."""

    def __init__(self, name, argv, ready_marker):
        self.name = name
        self.argv = argv
        self.ready_marker = ready_marker
        self.tail = collections.deque(maxlen=40)
        self.ready_line_at = None
        self.t_spawn = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self):
        for line in self.proc.stdout:
            if self.ready_line_at is None and self.ready_marker.encode() in line:
                self.ready_line_at = time.perf_counter()
            self.tail.append(line.decode("utf-8", "replace").rstrip())

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def rss_mib(self):
        out = {}
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    if line.startswith(("VmRSS:", "VmHWM:")):
                        key, val = line.split(":", 1)
                        out[key] = int(val.split()[0]) / 1024.0
        except OSError:
            pass
        return out.get("VmRSS"), out.get("VmHWM")

    def cpu_s(self):
        """utime+stime of the server process in seconds (None if gone)."""
        try:
            with open(f"/proc/{self.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.reader.join(2)
        return self.proc.returncode

    def death_note(self):
        rc = self.proc.poll()
        if rc is None:
            return None
        return f"process exited with code {rc}; last output: " + " | ".join(list(self.tail)[-8:])


def poll_ready(server, port, timeout=30.0):
    """Raw POST ListStreams every 1 ms until a 200 answer. Returns seconds since spawn."""
    req = (
        "POST / HTTP/1.1\r\nHost: {h}:{p}\r\nContent-Type: application/x-amz-json-1.1\r\n"
        "X-Amz-Target: Kinesis_20131202.ListStreams\r\nX-Amz-Date: {d}\r\n"
        "Authorization: {a}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
    ).format(h=HOST, p=port, d=BASE_HEADERS["X-Amz-Date"],
             a=BASE_HEADERS["Authorization"]).encode()
    deadline = server.t_spawn + timeout
    last_err = None
    while True:
        now = time.perf_counter()
        if now > deadline:
            raise RuntimeError(f"{server.name}: no answer to ListStreams within {timeout}s "
                               f"(last error: {last_err})")
        if not server.alive():
            raise RuntimeError(f"{server.name}: {server.death_note()}")
        try:
            with socket.create_connection((HOST, port), timeout=5) as s:
                s.sendall(req)
                buf = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    buf += chunk
                    if b"\r\n\r\n" in buf:
                        head, _, body = buf.partition(b"\r\n\r\n")
                        cl = 0
                        for hl in head.split(b"\r\n")[1:]:
                            k, _, v = hl.partition(b":")
                            if k.strip().lower() == b"content-length":
                                cl = int(v.strip())
                        if len(body) >= cl:
                            break
            t = time.perf_counter()
            status_line = buf.split(b"\r\n", 1)[0]
            parts = status_line.split()
            if len(parts) >= 2 and parts[1] == b"200":
                return t - server.t_spawn
            last_err = short(buf, 200)
        except OSError as e:  # refused while the port is not open yet
            last_err = repr(e)
        time.sleep(0.001)


def spawn_ready(name, spec, tries=3):
    """Spawn on a free port and wait for readiness; retry on a port race."""
    err = None
    for _ in range(tries):
        port = free_port()
        srv = Server(name, spec["argv"](port), spec["ready_marker"])
        try:
            secs = poll_ready(srv, port)
            return srv, port, secs
        except RuntimeError as e:
            err = e
            srv.stop()
    raise err


# --------------------------------------------------------------------------- workloads


def create_stream(port, failures):
    c = Client(port)
    st, body = c.call("CreateStream", {"StreamName": STREAM, "ShardCount": SHARDS})
    if st != 200:
        failures.add("setup", "CreateStream", f"HTTP {st}: {short(json.dumps(body))}")
        raise RuntimeError(f"CreateStream failed: HTTP {st} {body}")
    deadline = time.perf_counter() + 30
    while True:
        st, body = c.call("DescribeStream", {"StreamName": STREAM})
        if st != 200:
            failures.add("setup", "DescribeStream", f"HTTP {st}: {short(json.dumps(body))}")
        elif body["StreamDescription"]["StreamStatus"] == "ACTIVE":
            shards = [s["ShardId"] for s in body["StreamDescription"]["Shards"]]
            c.close()
            return shards
        if time.perf_counter() > deadline:
            raise RuntimeError("stream did not become ACTIVE within 30 s")
        time.sleep(0.01)


def put_body(thread_no):
    recs = []
    for i in range(RECORDS_PER_CALL):
        data = base64.b64encode(os.urandom(RECORD_BYTES)).decode()
        recs.append({"Data": data, "PartitionKey": f"t{thread_no}-pk{i}"})
    return json.dumps({"StreamName": STREAM, "Records": recs}).encode()


def run_puts(server, port, seconds, failures):
    bodies = [put_body(t) for t in range(PUT_THREADS)]
    barrier = threading.Barrier(PUT_THREADS + 1)
    lock = threading.Lock()
    per_shard = collections.Counter()
    latencies = []
    calls = [0]
    stop_at = [0.0]
    ends = []

    def worker(t):
        c = Client(port)
        local_shards = collections.Counter()
        local_lat = []
        ncalls = 0
        barrier.wait()
        while time.perf_counter() < stop_at[0]:
            t0 = time.perf_counter()
            try:
                st, data = c.raw("PutRecords", bodies[t])
            except Exception as e:
                failures.add("put", "PutRecords", f"{type(e).__name__}: {e}")
                if not server.alive():
                    failures.add("put", "PutRecords", server.death_note())
                    break
                time.sleep(0.01)
                continue
            local_lat.append(time.perf_counter() - t0)
            ncalls += 1
            if st != 200:
                failures.add("put", "PutRecords", f"HTTP {st}: {short(data)}")
                continue
            try:
                r = json.loads(data)
                recs = r["Records"]
                failed = r.get("FailedRecordCount")
            except (ValueError, KeyError, TypeError) as e:
                failures.add("put", "PutRecords", f"bad body ({e}): {short(data)}")
                continue
            for rec in recs:
                if "SequenceNumber" in rec and "ErrorCode" not in rec:
                    local_shards[rec["ShardId"]] += 1
            if failed != 0 or len(recs) != RECORDS_PER_CALL:
                first_err = next((x for x in recs if "ErrorCode" in x), None)
                failures.add("put", "PutRecords",
                             f"FailedRecordCount={failed}, {len(recs)} Records; first error: {first_err}")
        ends.append(time.perf_counter())
        c.close()
        with lock:
            per_shard.update(local_shards)
            latencies.extend(local_lat)
            calls[0] += ncalls

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(PUT_THREADS)]
    for th in threads:
        th.start()
    t_start = time.perf_counter()
    stop_at[0] = t_start + seconds
    barrier.wait()
    for th in threads:
        th.join()
    elapsed = max(ends) - t_start
    total = sum(per_shard.values())
    return {
        "records": total,
        "calls": calls[0],
        "elapsed_s": elapsed,
        "records_per_s": total / elapsed if elapsed > 0 else 0.0,
        "mib_per_s": total * RECORD_BYTES / 1048576 / elapsed if elapsed > 0 else 0.0,
        "per_shard": dict(sorted(per_shard.items())),
        "latency_ms": lat_summary(latencies),
    }


def lat_summary(lat):
    if not lat:
        return None
    s = sorted(lat)
    pick = lambda q: s[min(len(s) - 1, int(q * len(s)))] * 1000
    return {"p50": pick(0.50), "p99": pick(0.99), "max": s[-1] * 1000, "n": len(s)}


_RE_NEXT = re.compile(rb'"NextShardIterator"\s*:\s*"([^"]*)"')
_RE_BEHIND = re.compile(rb'"MillisBehindLatest"\s*:\s*(\d+)')
_RE_SEQ = re.compile(rb'"SequenceNumber"\s*:\s*"(\d+)"')
_RE_DATA = re.compile(rb'"Data"\s*:\s*"([^"]*)"')


def parse_full(data):
    """json.loads the whole GetRecords body (client-heavy: ~2 ms per 1000 records)."""
    r = json.loads(data)
    recs = r["Records"]
    if not recs:
        return 0, None, None, None, r.get("NextShardIterator"), r.get("MillisBehindLatest", 0)
    return (len(recs), recs[0]["SequenceNumber"], recs[-1]["SequenceNumber"], recs[0]["Data"],
            r.get("NextShardIterator"), r.get("MillisBehindLatest", 0))


def parse_fast(data):
    """Count records and pull out the few fields needed without decoding the whole
    body, so the Python client stays cheap next to the server on 2 cores."""
    count = data.count(b'"SequenceNumber"')
    # rfind (a plain byte scan) to locate the trailing members, then a regex match there;
    # a regex search over a 14 MB body would cost ~8 ms each
    i = data.rfind(b'"NextShardIterator"')
    m = _RE_NEXT.match(data, i) if i >= 0 else None
    nxt = m.group(1).decode() if m else None
    i = data.rfind(b'"MillisBehindLatest"')
    m = _RE_BEHIND.match(data, i) if i >= 0 else None
    behind = int(m.group(1)) if m else 0
    if not count:
        if not data.lstrip().startswith(b"{") or b'"Records"' not in data:
            raise ValueError("no Records member")
        return 0, None, None, None, nxt, behind
    first = _RE_SEQ.search(data)
    last = _RE_SEQ.search(data, data.rfind(b'"SequenceNumber"'))
    d = _RE_DATA.search(data)
    return (count, first.group(1), last.group(1), d.group(1) if d else None, nxt, behind)


def run_gets(server, port, expected, failures, timeout, full_parse=False):
    lock = threading.Lock()
    got = {}
    latencies = []
    gcalls = [0]
    deadline = [0.0]
    barrier = threading.Barrier(len(expected) + 1)
    ends = []

    def worker(shard_id, want):
        c = Client(port)
        n = 0
        local_lat = []
        ncalls = 0
        last_seq = -1
        barrier.wait()
        try:
            st, body = c.call("GetShardIterator", {"StreamName": STREAM, "ShardId": shard_id,
                                                   "ShardIteratorType": "TRIM_HORIZON"})
            if st != 200:
                failures.add("get", "GetShardIterator", f"{shard_id}: HTTP {st}: {short(json.dumps(body))}")
                return
            it = body["ShardIterator"]
            empties = 0
            while n < want:
                if time.perf_counter() > deadline[0]:
                    failures.add("get", "GetRecords", f"{shard_id}: drain timed out at {n}/{want} records")
                    break
                req = json.dumps({"ShardIterator": it, "Limit": GET_LIMIT}).encode()
                t0 = time.perf_counter()
                try:
                    st, data = c.raw("GetRecords", req)
                except Exception as e:
                    failures.add("get", "GetRecords", f"{shard_id}: {type(e).__name__}: {e}")
                    if not server.alive():
                        failures.add("get", "GetRecords", server.death_note())
                    break
                local_lat.append(time.perf_counter() - t0)
                ncalls += 1
                if st != 200:
                    failures.add("get", "GetRecords", f"{shard_id}: HTTP {st}: {short(data)}")
                    break
                try:
                    count, first_seq, last_seq_b, first_data, nxt, behind = (
                        parse_full(data) if full_parse else parse_fast(data))
                except (ValueError, KeyError, TypeError, IndexError) as e:
                    failures.add("get", "GetRecords", f"{shard_id}: bad body ({e}): {short(data)}")
                    break
                if count:
                    empties = 0
                    # spot-check payload and ordering on every batch (cheap)
                    if first_data is None or len(base64.b64decode(first_data)) != RECORD_BYTES:
                        failures.add("get", "GetRecords", f"{shard_id}: record Data is not {RECORD_BYTES} bytes")
                    s0, s1 = int(first_seq), int(last_seq_b)
                    if s0 <= last_seq or s1 < s0:
                        failures.add("get", "GetRecords", f"{shard_id}: sequence numbers out of order")
                    last_seq = s1
                    n += count
                else:
                    empties += 1
                    if empties >= 3 and not behind:
                        failures.add("get", "GetRecords",
                                     f"{shard_id}: caught up at {n}/{want} records (records missing)")
                        break
                it = nxt
                if not it:
                    if n < want:
                        failures.add("get", "GetRecords", f"{shard_id}: shard ended at {n}/{want}")
                    break
        except Exception as e:  # e.g. GetShardIterator transport error
            failures.add("get", "GetShardIterator/GetRecords", f"{shard_id}: {type(e).__name__}: {e}")
        finally:
            ends.append(time.perf_counter())
            c.close()
            with lock:
                got[shard_id] = n
                latencies.extend(local_lat)
                gcalls[0] += ncalls

    threads = [threading.Thread(target=worker, args=(s, w)) for s, w in expected.items()]
    for th in threads:
        th.start()
    t_start = time.perf_counter()
    deadline[0] = t_start + timeout
    barrier.wait()
    for th in threads:
        th.join()
    elapsed = max(ends) - t_start
    total = sum(got.values())
    if total > sum(expected.values()):
        failures.add("get", "GetRecords", f"read {total} records but only {sum(expected.values())} were put")
    return {
        "records": total,
        "expected": sum(expected.values()),
        "calls": gcalls[0],
        "elapsed_s": elapsed,
        "records_per_s": total / elapsed if elapsed > 0 else 0.0,
        "per_shard": dict(sorted(got.items())),
        "latency_ms": lat_summary(latencies),
    }


def cpu_snapshot(srv):
    t = os.times()
    return srv.cpu_s(), t.user + t.system


def cpu_delta(a, b, elapsed):
    """Cores used by server and by this client process during a phase."""
    out = {}
    if a[0] is not None and b[0] is not None and elapsed > 0:
        out["server_cores"] = round((b[0] - a[0]) / elapsed, 2)
    if elapsed > 0:
        out["client_cores"] = round((b[1] - a[1]) / elapsed, 2)
    return out


def bench_target(name, spec, args):
    failures = Failures()
    res = {"failures": None}
    srv, port, secs = spawn_ready(name, spec)
    try:
        res["bench_instance_startup_ms"] = secs * 1000
        res["rss_after_start_mib"], _ = srv.rss_mib()
        expected_shards = create_stream(port, failures)
        print(f"  {name}: PutRecords for {args.seconds:g} s ...", flush=True)
        cpu0 = cpu_snapshot(srv)
        put = run_puts(srv, port, args.seconds, failures)
        put["cpu"] = cpu_delta(cpu0, cpu_snapshot(srv), put["elapsed_s"])
        res["put"] = put
        res["rss_after_put_mib"], res["rss_hwm_after_put_mib"] = srv.rss_mib()
        if put["records"] and res["rss_after_start_mib"] and res["rss_after_put_mib"]:
            res["rss_growth_kib_per_record"] = (
                (res["rss_after_put_mib"] - res["rss_after_start_mib"]) * 1024 / put["records"])
        if not srv.alive():
            raise RuntimeError("server gone after PutRecords; GetRecords skipped")
        expected = {s: put["per_shard"].get(s, 0) for s in expected_shards}
        print(f"  {name}: draining {put['records']} records with GetRecords ...", flush=True)
        cpu0 = cpu_snapshot(srv)
        get = run_gets(srv, port, expected, failures, args.drain_timeout, args.full_parse)
        get["cpu"] = cpu_delta(cpu0, cpu_snapshot(srv), get["elapsed_s"])
        res["get"] = get
        res["rss_after_get_mib"], res["rss_hwm_after_get_mib"] = srv.rss_mib()
        if not srv.alive():
            failures.add("end", "-", srv.death_note())
    except Exception as e:  # keep going with the other target
        failures.add("bench", "-", f"{type(e).__name__}: {e}")
        if not srv.alive():
            failures.add("bench", "-", srv.death_note())
    finally:
        rc = srv.stop()
        res["exit_code_after_sigterm"] = rc
    res["failures"] = {"count": failures.count, "by_action": dict(failures.by_action),
                       "details": failures.details}
    return res


# --------------------------------------------------------------------------- reporting


def machine_info(args):
    info = {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)),
        "note": "2 shared (virtual) cores: client, server and anything else on the host "
                "compete for them, so absolute numbers are noisy; compare ratios.",
        "kernel": platform.release(),
        "python": platform.python_version(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            info["mem_total_mib"] = int(f.readline().split()[1]) // 1024
    except OSError:
        pass
    info["loadavg_at_start"] = os.getloadavg()
    try:
        info["node"] = subprocess.run(["node", "--version"], capture_output=True,
                                      text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        info["node"] = None
    return info


def fmt(v, kind):
    if v is None:
        return "-"
    if kind == "ms":
        return f"{v:.1f} ms"
    if kind == "rps":
        return f"{v:,.0f} rec/s"
    if kind == "mib":
        return f"{v:.1f} MiB"
    if kind == "kib":
        return f"{v:.2f} KiB"
    return f"{v:,}"


def get_path(d, path):
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


ROWS = [
    # label, path, kind, higher_is_better
    ("startup, median of N (ms, lower=better)", ("startup", "median_ms"), "ms", False),
    ("PutRecords 500x1KiB, 4 thr (higher=better)", ("put", "records_per_s"), "rps", True),
    ("GetRecords drain, 4 shards (higher=better)", ("get", "records_per_s"), "rps", True),
    ("RSS after start (lower=better)", ("rss_after_start_mib",), "mib", False),
    ("RSS after PutRecords (lower=better)", ("rss_after_put_mib",), "mib", False),
    ("RSS growth per record put (lower=better)", ("rss_growth_kib_per_record",), "kib", False),
    ("records put / drained", None, "count", None),
    ("failures (requests + checks)", ("failures", "count"), "count", None),
]


def print_table(results, order, startup_runs):
    cols = ["workload", "kinesis-emulator", "kinesalite", "ratio (emu/kl)"]
    names = ["kinesis-emulator", "kinesalite"]
    lines = []
    for label, path, kind, hib in ROWS:
        label = label.replace("N", str(startup_runs), 1) if "of N" in label else label
        vals = []
        for n in names:
            r = results.get(n)
            if r is None:
                vals.append((None, "-"))
            elif path is None:
                p, g = get_path(r, ("put", "records")), get_path(r, ("get", "records"))
                vals.append((None, f"{p if p is not None else '-'} / {g if g is not None else '-'}"))
            else:
                v = get_path(r, path)
                vals.append((v, fmt(v, kind)))
        ratio = "-"
        if hib is not None and vals[0][0] and vals[1][0]:
            ratio = f"{vals[0][0] / vals[1][0]:.2f}x"
        lines.append([label, vals[0][1], vals[1][1], ratio])
    widths = [max(len(x[i]) for x in lines + [cols]) for i in range(4)]
    sep = "-+-".join("-" * w for w in widths)
    print(" | ".join(c.ljust(w) for c, w in zip(cols, widths)))
    print(sep)
    for row in lines:
        print(" | ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--targets", default="kinesis-emulator,kinesalite",
                    help="comma-separated: kinesis-emulator,kinesalite (default both)")
    ap.add_argument("--seconds", type=float, default=5.0, help="PutRecords duration per target (default 5)")
    ap.add_argument("--json", dest="json_out", default=None,
                    help="write results here (default bench/results/basic-<timestamp>.json)")
    ap.add_argument("--startup-runs", type=int, default=5, help="spawns per target for the startup median")
    ap.add_argument("--drain-timeout", type=float, default=60.0, help="max seconds for the GetRecords drain")
    ap.add_argument("--full-parse", action="store_true",
                    help="json-decode every GetRecords body instead of the cheap scan (costs client CPU)")
    ap.add_argument("--emulator", default=DEFAULT_EMULATOR, help="kinesis-emulator binary")
    ap.add_argument("--peers", default=DEFAULT_PEERS, help="npm prefix for kinesalite")
    args = ap.parse_args()

    order = [t.strip() for t in args.targets.split(",") if t.strip()]
    targets = make_targets(args)
    for t in order:
        if t not in targets:
            ap.error(f"unknown target {t!r}; known: {', '.join(targets)}")
    if "kinesis-emulator" in order and not os.access(args.emulator, os.X_OK):
        ap.error(f"{args.emulator} is not an executable (build it first)")
    if "kinesalite" in order:
        ensure_kinesalite(args.peers)

    ts = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    json_out = args.json_out or os.path.join(BENCH_DIR, "results", f"basic-{ts}.json")
    machine = machine_info(args)
    versions = {}
    if "kinesis-emulator" in order:
        versions["kinesis-emulator"] = subprocess.run([args.emulator, "--version"], capture_output=True,
                                                      text=True, timeout=10).stdout.strip()
    if "kinesalite" in order:
        versions["kinesalite"] = kinesalite_version(args.peers)
    print(f"machine: nproc={machine['nproc']} ({machine.get('cpu_model', '?')}), 2 shared cores; "
          f"loadavg {machine['loadavg_at_start'][0]:.2f}", flush=True)
    print(f"versions: {versions}", flush=True)
    t_all = time.perf_counter()

    results = {t: {} for t in order}

    # 1. startup, interleaved: round i spawns every target once, alternating which goes first
    samples = {t: [] for t in order}
    ready_line = {t: [] for t in order}
    startup_fail = {t: [] for t in order}
    print(f"startup: {args.startup_runs} interleaved spawns per target ...", flush=True)
    for i in range(args.startup_runs):
        seq = order if i % 2 == 0 else list(reversed(order))
        for t in seq:
            try:
                srv, port, secs = spawn_ready(t, targets[t])
            except Exception as e:
                startup_fail[t].append(str(e))
                continue
            samples[t].append(secs * 1000)
            # the ready line may lag the first answer by a hair; give the reader a moment
            for _ in range(50):
                if srv.ready_line_at is not None:
                    break
                time.sleep(0.002)
            if srv.ready_line_at is not None:
                ready_line[t].append((srv.ready_line_at - srv.t_spawn) * 1000)
            srv.stop()
    for t in order:
        s = samples[t]
        results[t]["startup"] = {
            "samples_ms": s,
            "median_ms": statistics.median(s) if s else None,
            "min_ms": min(s) if s else None,
            "max_ms": max(s) if s else None,
            "ready_line_median_ms": statistics.median(ready_line[t]) if ready_line[t] else None,
            "failures": startup_fail[t],
        }
        print(f"  {t}: median {fmt(results[t]['startup']['median_ms'], 'ms')} "
              f"samples {[round(x, 1) for x in s]}", flush=True)

    # 2-4. throughput + RSS, one target at a time (never both servers at once)
    for t in order:
        print(f"throughput: {t}", flush=True)
        r = bench_target(t, targets[t], args)
        if startup_fail[t]:
            r["failures"]["count"] += len(startup_fail[t])
            r["failures"]["details"] += [{"phase": "startup", "action": "ListStreams", "what": x}
                                         for x in startup_fail[t]]
        results[t].update(r)
        put, get = r.get("put", {}), r.get("get", {})
        print(f"  {t}: put {fmt(put.get('records_per_s'), 'rps')} ({put.get('records')} rec, "
              f"{put.get('calls')} calls, p50 {get_path(put, ('latency_ms', 'p50')) or 0:.1f} ms, "
              f"cpu {put.get('cpu')}); "
              f"get {fmt(get.get('records_per_s'), 'rps')} ({get.get('records')} rec, {get.get('calls')} calls, "
              f"cpu {get.get('cpu')}); "
              f"failures {r['failures']['count']}", flush=True)

    total_s = time.perf_counter() - t_all
    doc = {
        "benchmark": "basic",
        "timestamp": ts,
        "command": " ".join([os.path.relpath(sys.argv[0], os.getcwd())] + sys.argv[1:]),
        "machine": machine,
        "versions": versions,
        "config": {"seconds": args.seconds, "startup_runs": args.startup_runs, "shards": SHARDS,
                   "records_per_call": RECORDS_PER_CALL, "record_bytes": RECORD_BYTES,
                   "put_threads": PUT_THREADS, "get_limit": GET_LIMIT, "targets": order,
                   "get_parse": "full" if args.full_parse else "fast"},
        "results": results,
        "wall_s": total_s,
    }
    os.makedirs(os.path.dirname(os.path.abspath(json_out)), exist_ok=True)
    with open(json_out, "w") as f:
        json.dump(doc, f, indent=2)

    print()
    print(f"machine: nproc={machine['nproc']}, 2 shared cores (client and server share them); "
          f"wall {total_s:.1f} s")
    print_table(results, order, args.startup_runs)
    any_fail = False
    for t in order:
        fl = results[t].get("failures") or {}
        if fl.get("count"):
            any_fail = True
            print(f"\n{t}: {fl['count']} failure(s) {fl.get('by_action')}")
            for d in fl.get("details", [])[:10]:
                print(f"  [{d['phase']}] {d['action']}: {d['what']}")
    print(f"\nresults: {json_out}")
    return 1 if any_fail else 0


if __name__ == "__main__":
    sys.exit(main())
