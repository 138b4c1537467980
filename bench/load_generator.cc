// kemu-loadgen: an HTTP/1.1 keep-alive load generator for the Kinesis JSON protocol.
//
// One thread, epoll, N connections, P requests in flight per connection (pipelined when P > 1).
// Closed loop (default): every connection keeps P requests in flight for --duration seconds or until
// --requests have been sent. Open loop (--rate R): request i is scheduled at start + i / R and sent on
// the first idle connection; its latency runs from the scheduled time, not the send time, so a slow
// server cannot hide its queueing delay (no coordinated omission).
//
// Workloads: put-record, put-records, list-streams, get-records (drain: GetShardIterator TRIM_HORIZON
// on each shard, then GetRecords Limit N until a batch is empty with MillisBehindLatest 0).
// Every response must be a 200 carrying the fields the workload expects; anything else is a failure.
// Prints one JSON object on stdout. See bench/README.md.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string workload = "put-record";
  std::string stream = "bench";
  int connections = 16;
  int pipeline = 1;
  double duration_s = 5;
  long requests = 0;  // 0: run for duration_s
  double rate = 0;    // > 0: open loop
  int record_bytes = 1024;
  int records_per_call = 500;
  int shards = 4;
  int limit = 10000;
  double timeout_s = 60;
};

[[noreturn]] void Die(const char* what) {
  std::perror(what);
  std::exit(2);
}

std::string Base64(std::string_view in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += k[v >> 18];
    out += k[(v >> 12) & 63];
    out += k[(v >> 6) & 63];
    out += k[v & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += k[v >> 18];
    out += k[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += k[v >> 18];
    out += k[(v >> 12) & 63];
    out += k[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string ShardId(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "shardId-%012d", i);
  return buf;
}

// Finds `"key"` followed by optional spaces and a colon; returns the position just after the colon and spaces.
size_t FindKey(std::string_view body, std::string_view key, size_t from = 0) {
  std::string needle = "\"" + std::string(key) + "\"";
  for (size_t p = body.find(needle, from); p != std::string_view::npos; p = body.find(needle, p + 1)) {
    size_t q = p + needle.size();
    while (q < body.size() && (body[q] == ' ' || body[q] == '\n' || body[q] == '\t' || body[q] == '\r')) ++q;
    if (q < body.size() && body[q] == ':') {
      ++q;
      while (q < body.size() && (body[q] == ' ' || body[q] == '\n' || body[q] == '\t' || body[q] == '\r')) ++q;
      return q;
    }
  }
  return std::string_view::npos;
}

// The string value of `key` (no escapes expected in the fields read here), or npos-marked empty optional.
bool StringField(std::string_view body, std::string_view key, std::string_view* out, size_t from = 0) {
  size_t p = FindKey(body, key, from);
  if (p == std::string_view::npos || p >= body.size() || body[p] != '"') return false;
  size_t e = body.find('"', p + 1);
  if (e == std::string_view::npos) return false;
  *out = body.substr(p + 1, e - p - 1);
  return true;
}

bool NumberField(std::string_view body, std::string_view key, long long* out) {
  size_t p = FindKey(body, key);
  if (p == std::string_view::npos) return false;
  char* end = nullptr;
  std::string tmp(body.substr(p, std::min<size_t>(32, body.size() - p)));
  *out = std::strtoll(tmp.c_str(), &end, 10);
  return end != tmp.c_str();
}

size_t CountKey(std::string_view body, std::string_view key) {
  size_t n = 0;
  for (size_t p = FindKey(body, key); p != std::string_view::npos; p = FindKey(body, key, p)) ++n;
  return n;
}

// Decimal strings of arbitrary length: a < b.
bool NumLess(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

struct Failures {
  long count = 0;
  std::map<std::string, long> by_kind;
  std::vector<std::string> samples;
  void Add(const std::string& kind, const std::string& detail) {
    ++count;
    ++by_kind[kind];
    if (samples.size() < 8) samples.push_back(kind + ": " + detail.substr(0, 300));
  }
};

struct Pending {
  Clock::time_point start;  // scheduled (open loop) or send time (closed loop)
  std::string action;
};

struct Conn {
  int fd = -1;
  int index = 0;
  std::string out;
  size_t out_off = 0;
  std::string in;
  std::deque<Pending> pending;
  bool want_write = false;
  // get-records drain state
  std::string iterator;
  std::string last_seq;
  long drained = 0;
  bool done = false;
};

struct Response {
  int status = 0;
  std::string_view body;
};

class LoadGen {
 public:
  explicit LoadGen(Options o) : o_(std::move(o)), rng_(12345) {}

  int Run();

 private:
  void Connect(Conn& c);
  void Queue(Conn& c, const std::string& action, const std::string& body, Clock::time_point start);
  void Flush(Conn& c);
  bool ReadAll(Conn& c);  // false: connection closed or broken
  // Parses one complete response from c.in, if any; returns bytes consumed (0: need more).
  size_t ParseOne(Conn& c, Response* r, bool* close_after);
  void OnResponse(Conn& c, const Pending& p, const Response& r);
  void NextRequest(Conn& c, Clock::time_point start);
  bool MayStartMore(Clock::time_point now) const;
  void Reconnect(Conn& c, const std::string& why);
  std::string PutRecordBody();
  const std::string& PutRecordsBody();

  Options o_;
  std::mt19937_64 rng_;
  int ep_ = -1;
  std::vector<Conn> conns_;
  std::vector<std::string> payloads_;  // base64 of record_bytes random bytes
  std::vector<std::string> put_records_bodies_;
  size_t next_body_ = 0;
  long sent_ = 0, ok_ = 0, records_ = 0, in_flight_ = 0;
  long bytes_in_ = 0;
  std::vector<double> latencies_ms_;
  Failures failures_;
  Clock::time_point t0_, deadline_;
  std::deque<Clock::time_point> backlog_;  // open loop: scheduled but not yet sent
  long scheduled_ = 0;
};

void LoadGen::Connect(Conn& c) {
  c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c.fd < 0) Die("socket");
  int one = 1;
  ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(o_.port));
  if (::inet_pton(AF_INET, o_.host.c_str(), &a.sin_addr) != 1) Die("inet_pton");
  if (::connect(c.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 && errno != EINPROGRESS) Die("connect");
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT;
  ev.data.u32 = static_cast<uint32_t>(c.index);
  if (::epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev) < 0) Die("epoll_ctl");
  c.want_write = true;
}

void LoadGen::Reconnect(Conn& c, const std::string& why) {
  for (auto& p : c.pending) failures_.Add("transport", p.action + ": " + why);
  in_flight_ -= static_cast<long>(c.pending.size());
  c.pending.clear();
  ::epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd, nullptr);
  ::close(c.fd);
  c.out.clear();
  c.out_off = 0;
  c.in.clear();
  Connect(c);
}

void LoadGen::Queue(Conn& c, const std::string& action, const std::string& body, Clock::time_point start) {
  char head[512];
  int n = std::snprintf(head, sizeof head,
                        "POST / HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/x-amz-json-1.1\r\n"
                        "X-Amz-Target: Kinesis_20131202.%s\r\nX-Amz-Date: 20260101T000000Z\r\n"
                        "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/kinesis/"
                        "aws4_request, SignedHeaders=host;x-amz-date, Signature="
                        "0000000000000000000000000000000000000000000000000000000000000000\r\n"
                        "Content-Length: %zu\r\n\r\n",
                        o_.host.c_str(), o_.port, action.c_str(), body.size());
  c.out.append(head, static_cast<size_t>(n));
  c.out.append(body);
  c.pending.push_back({start, action});
  ++sent_;
  ++in_flight_;
  Flush(c);
}

void LoadGen::Flush(Conn& c) {
  while (c.out_off < c.out.size()) {
    ssize_t w = ::send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
    if (w < 0) {
      if (errno == EAGAIN || errno == EINTR || errno == ENOTCONN) break;
      Reconnect(c, std::string("send: ") + std::strerror(errno));
      return;
    }
    c.out_off += static_cast<size_t>(w);
  }
  if (c.out_off == c.out.size()) {
    c.out.clear();
    c.out_off = 0;
  }
  bool want = !c.out.empty();
  if (want != c.want_write) {
    epoll_event ev{};
    ev.events = EPOLLIN | (want ? static_cast<uint32_t>(EPOLLOUT) : 0u);
    ev.data.u32 = static_cast<uint32_t>(c.index);
    ::epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev);
    c.want_write = want;
  }
}

bool LoadGen::ReadAll(Conn& c) {
  char buf[1 << 16];
  for (;;) {
    ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
    if (r > 0) {
      c.in.append(buf, static_cast<size_t>(r));
      bytes_in_ += r;
      continue;
    }
    if (r == 0) return false;
    if (errno == EAGAIN || errno == EINTR) return true;
    return false;
  }
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

size_t LoadGen::ParseOne(Conn& c, Response* r, bool* close_after) {
  std::string_view in(c.in);
  size_t he = in.find("\r\n\r\n");
  if (he == std::string_view::npos) return 0;
  std::string_view head = in.substr(0, he);
  if (head.size() < 12 || head.substr(0, 5) != "HTTP/") return std::string::npos;
  r->status = std::atoi(std::string(head.substr(9, 3)).c_str());
  long long content_length = -1;
  bool chunked = false;
  *close_after = head.substr(0, 8) == "HTTP/1.0";
  size_t p = head.find("\r\n");
  while (p != std::string_view::npos && p < head.size()) {
    size_t e = head.find("\r\n", p + 2);
    std::string_view line = head.substr(p + 2, (e == std::string_view::npos ? head.size() : e) - p - 2);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string_view name = line.substr(0, colon), value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (IEquals(name, "content-length")) content_length = std::atoll(std::string(value).c_str());
      if (IEquals(name, "transfer-encoding") && value.find("chunked") != std::string_view::npos) chunked = true;
      if (IEquals(name, "connection")) *close_after = IEquals(value, "close");
    }
    p = e;
  }
  size_t body_start = he + 4;
  if (!chunked) {
    if (content_length < 0) content_length = 0;
    if (in.size() < body_start + static_cast<size_t>(content_length)) return 0;
    r->body = in.substr(body_start, static_cast<size_t>(content_length));
    return body_start + static_cast<size_t>(content_length);
  }
  // chunked: decode into a side buffer once complete
  static thread_local std::string decoded;
  decoded.clear();
  size_t q = body_start;
  for (;;) {
    size_t le = in.find("\r\n", q);
    if (le == std::string_view::npos) return 0;
    size_t len = std::strtoul(std::string(in.substr(q, le - q)).c_str(), nullptr, 16);
    q = le + 2;
    if (len == 0) {
      size_t te = in.find("\r\n", q);  // trailers not expected: the final CRLF
      if (te == std::string_view::npos) return 0;
      r->body = decoded;
      return te + 2;
    }
    if (in.size() < q + len + 2) return 0;
    decoded.append(in.substr(q, len));
    q += len + 2;
  }
}

std::string LoadGen::PutRecordBody() {
  std::uniform_int_distribution<uint64_t> d;
  char key[32];
  std::snprintf(key, sizeof key, "pk-%016llx", static_cast<unsigned long long>(d(rng_)));
  const std::string& data = payloads_[d(rng_) % payloads_.size()];
  std::string b;
  b.reserve(data.size() + 128);
  b += "{\"StreamName\":\"";
  b += o_.stream;
  b += "\",\"PartitionKey\":\"";
  b += key;
  b += "\",\"Data\":\"";
  b += data;
  b += "\"}";
  return b;
}

const std::string& LoadGen::PutRecordsBody() {
  if (put_records_bodies_.empty()) {
    std::uniform_int_distribution<uint64_t> d;
    for (int v = 0; v < 8; ++v) {
      std::string b = "{\"StreamName\":\"" + o_.stream + "\",\"Records\":[";
      for (int i = 0; i < o_.records_per_call; ++i) {
        char key[32];
        std::snprintf(key, sizeof key, "pk-%016llx", static_cast<unsigned long long>(d(rng_)));
        if (i) b += ',';
        b += "{\"PartitionKey\":\"";
        b += key;
        b += "\",\"Data\":\"";
        b += payloads_[d(rng_) % payloads_.size()];
        b += "\"}";
      }
      b += "]}";
      put_records_bodies_.push_back(std::move(b));
    }
  }
  return put_records_bodies_[next_body_++ % put_records_bodies_.size()];
}

void LoadGen::NextRequest(Conn& c, Clock::time_point start) {
  const std::string& w = o_.workload;
  if (w == "put-record") {
    Queue(c, "PutRecord", PutRecordBody(), start);
  } else if (w == "put-records") {
    Queue(c, "PutRecords", PutRecordsBody(), start);
  } else if (w == "list-streams") {
    Queue(c, "ListStreams", "{}", start);
  } else if (w == "get-records") {
    if (c.done) return;
    if (c.iterator.empty()) {
      Queue(c, "GetShardIterator",
            "{\"StreamName\":\"" + o_.stream + "\",\"ShardId\":\"" + ShardId(c.index) +
                "\",\"ShardIteratorType\":\"TRIM_HORIZON\"}",
            start);
    } else {
      Queue(c, "GetRecords", "{\"ShardIterator\":\"" + c.iterator + "\",\"Limit\":" + std::to_string(o_.limit) + "}",
            start);
    }
  }
}

void LoadGen::OnResponse(Conn& c, const Pending& p, const Response& r) {
  auto now = Clock::now();
  double ms = std::chrono::duration<double, std::milli>(now - p.start).count();
  if (r.status != 200) {
    failures_.Add("http " + std::to_string(r.status), p.action + ": " + std::string(r.body));
    if (o_.workload == "get-records") c.done = true;
    return;
  }
  std::string_view b = r.body, v;
  bool good = true;
  std::string why;
  if (p.action == "PutRecord") {
    good = StringField(b, "SequenceNumber", &v) && StringField(b, "ShardId", &v);
    if (good) records_ += 1;
    why = "no SequenceNumber/ShardId";
  } else if (p.action == "PutRecords") {
    long long failed = -1;
    size_t seqs = CountKey(b, "SequenceNumber");
    good =
        NumberField(b, "FailedRecordCount", &failed) && failed == 0 && seqs == static_cast<size_t>(o_.records_per_call);
    records_ += static_cast<long>(seqs);
    why = "FailedRecordCount " + std::to_string(failed) + ", " + std::to_string(seqs) + " sequence numbers";
  } else if (p.action == "ListStreams") {
    good = FindKey(b, "StreamNames") != std::string_view::npos;
    why = "no StreamNames";
  } else if (p.action == "GetShardIterator") {
    good = StringField(b, "ShardIterator", &v) && !v.empty();
    if (good) c.iterator = std::string(v);
    why = "no ShardIterator";
    if (!good) c.done = true;
  } else if (p.action == "GetRecords") {
    long long behind = -1;
    size_t n = CountKey(b, "SequenceNumber");
    good = NumberField(b, "MillisBehindLatest", &behind);
    why = "no MillisBehindLatest";
    if (good && n > 0) {
      std::string_view first, last, data;
      StringField(b, "SequenceNumber", &first);
      // the last record's sequence number
      size_t lp = b.rfind("\"SequenceNumber\"");
      StringField(b, "SequenceNumber", &last, lp);
      if (!c.last_seq.empty() && !NumLess(c.last_seq, first)) {
        good = false;
        why = "sequence numbers went back: " + c.last_seq + " then " + std::string(first);
      }
      if (StringField(b, "Data", &data) && data.size() != static_cast<size_t>((o_.record_bytes + 2) / 3 * 4)) {
        good = false;
        why = "first record's Data is " + std::to_string(data.size()) + " base64 chars";
      }
      c.last_seq = std::string(last);
    }
    c.drained += static_cast<long>(n);
    records_ += static_cast<long>(n);
    std::string_view next;
    if (!StringField(b, "NextShardIterator", &next) || next.empty()) {
      c.done = true;
    } else {
      c.iterator = std::string(next);
    }
    if (good && n == 0 && behind == 0) c.done = true;
  }
  if (good) {
    ++ok_;
    latencies_ms_.push_back(ms);
  } else {
    failures_.Add("check", p.action + ": " + why);
    if (o_.workload == "get-records") c.done = true;
  }
}

bool LoadGen::MayStartMore(Clock::time_point now) const {
  if (o_.workload == "get-records") return true;  // a drain runs until caught up (or --timeout)
  if (o_.requests > 0) return sent_ < o_.requests;
  return now < deadline_;
}

int LoadGen::Run() {
  ep_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (ep_ < 0) Die("epoll_create1");
  {
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < 64; ++i) {
      std::string raw(static_cast<size_t>(o_.record_bytes), '\0');
      for (auto& ch : raw) ch = static_cast<char>(byte(rng_));
      payloads_.push_back(Base64(raw));
    }
  }
  const bool drain = o_.workload == "get-records";
  const bool open_loop = o_.rate > 0 && !drain;
  int nconn = drain ? o_.shards : o_.connections;
  if (drain) o_.pipeline = 1;
  conns_.resize(static_cast<size_t>(nconn));
  for (int i = 0; i < nconn; ++i) {
    conns_[i].index = i;
    Connect(conns_[i]);
  }
  if (o_.workload == "put-records") PutRecordsBody();  // build the bodies before the clock starts
  t0_ = Clock::now();
  deadline_ = t0_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.duration_s));
  auto hard_deadline =
      deadline_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.timeout_s));
  if (drain)
    hard_deadline = t0_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.timeout_s));
  const auto interval = open_loop
                            ? std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / o_.rate))
                            : Clock::duration::zero();

  if (!open_loop) {
    for (auto& c : conns_)
      for (int k = 0; k < o_.pipeline && MayStartMore(t0_); ++k) NextRequest(c, Clock::now());
  }
  std::vector<epoll_event> events(static_cast<size_t>(nconn) + 1);
  bool timed_out = false;
  for (;;) {
    auto now = Clock::now();
    if (open_loop) {
      // schedule every request whose time has come
      while (MayStartMore(t0_ + scheduled_ * interval) && t0_ + scheduled_ * interval <= now &&
             (o_.requests == 0 || scheduled_ < o_.requests)) {
        backlog_.push_back(t0_ + scheduled_ * interval);
        ++scheduled_;
      }
      for (auto& c : conns_) {
        if (backlog_.empty()) break;
        while (!backlog_.empty() && static_cast<int>(c.pending.size()) < o_.pipeline) {
          auto at = backlog_.front();
          backlog_.pop_front();
          NextRequest(c, at);
        }
      }
    }
    bool more_to_schedule =
        open_loop ? (MayStartMore(t0_ + scheduled_ * interval) && (o_.requests == 0 || scheduled_ < o_.requests))
                  : false;
    bool all_done = in_flight_ == 0 && backlog_.empty() && !more_to_schedule;
    if (drain) {
      all_done = in_flight_ == 0;
      for (auto& c : conns_) all_done = all_done && c.done;
    } else if (!open_loop) {
      all_done = in_flight_ == 0 && !MayStartMore(now);
    }
    if (all_done) break;
    if (now > hard_deadline) {
      timed_out = true;
      break;
    }
    int timeout_ms = 50;
    if (open_loop && more_to_schedule) {
      auto next = t0_ + scheduled_ * interval;
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(next - now).count();
      timeout_ms = us <= 0 ? 0 : static_cast<int>(std::min<long long>(50, us / 1000));
    }
    int n = ::epoll_wait(ep_, events.data(), static_cast<int>(events.size()), timeout_ms);
    if (n < 0 && errno != EINTR) Die("epoll_wait");
    if (open_loop && n == 0 && more_to_schedule) {
      // sub-millisecond precision: spin the rest of the way to the next scheduled time
      auto next = t0_ + scheduled_ * interval;
      while (Clock::now() < next) {
      }
    }
    for (int i = 0; i < n; ++i) {
      Conn& c = conns_[events[i].data.u32];
      if (events[i].events & EPOLLOUT) Flush(c);
      if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        bool alive = ReadAll(c);
        bool close_after = false;
        for (;;) {
          Response r;
          size_t used = ParseOne(c, &r, &close_after);
          if (used == std::string::npos) {
            Reconnect(c, "unparsable response");
            break;
          }
          if (used == 0) break;
          if (c.pending.empty()) {
            failures_.Add("transport", "response without a request");
            c.in.erase(0, used);
            continue;
          }
          Pending p = std::move(c.pending.front());
          c.pending.pop_front();
          --in_flight_;
          OnResponse(c, p, r);
          c.in.erase(0, used);
          if (close_after) break;
          if (!open_loop && MayStartMore(Clock::now())) NextRequest(c, Clock::now());
          if (open_loop && !backlog_.empty()) {
            auto at = backlog_.front();
            backlog_.pop_front();
            NextRequest(c, at);
          }
        }
        if (close_after || !alive) {
          if (!alive && !c.pending.empty()) {
            Reconnect(c, "connection closed by the server");
          } else {
            ::epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd, nullptr);
            ::close(c.fd);
            c.out.clear();
            c.out_off = 0;
            c.in.clear();
            in_flight_ -= static_cast<long>(c.pending.size());
            c.pending.clear();
            Connect(c);
          }
          if (!open_loop && MayStartMore(Clock::now()) && !(drain && c.done))
            for (int k = 0; k < o_.pipeline; ++k) NextRequest(c, Clock::now());
        }
      }
    }
  }
  auto t1 = Clock::now();
  if (timed_out) failures_.Add("timeout", std::to_string(in_flight_) + " requests still in flight");
  double elapsed = std::chrono::duration<double>(t1 - t0_).count();
  std::sort(latencies_ms_.begin(), latencies_ms_.end());
  auto q = [&](double f) {
    if (latencies_ms_.empty()) return 0.0;
    return latencies_ms_[std::min(latencies_ms_.size() - 1, static_cast<size_t>(f * latencies_ms_.size()))];
  };
  double sum = 0;
  for (double x : latencies_ms_) sum += x;
  std::printf("{\"workload\":\"%s\",\"connections\":%d,\"pipeline\":%d,\"rate\":%g,\"elapsed_s\":%.4f,",
              o_.workload.c_str(), nconn, o_.pipeline, open_loop ? o_.rate : 0.0, elapsed);
  std::printf("\"requests\":%ld,\"ok\":%ld,\"failures\":%ld,\"records\":%ld,\"bytes_in\":%ld,", sent_, ok_,
              failures_.count, records_, bytes_in_);
  std::printf("\"req_per_s\":%.1f,\"records_per_s\":%.1f,", ok_ / elapsed, records_ / elapsed);
  std::printf("\"latency_ms\":{\"p50\":%.4f,\"p90\":%.4f,\"p99\":%.4f,\"p999\":%.4f,\"max\":%.4f,\"mean\":%.4f},",
              q(0.5), q(0.9), q(0.99), q(0.999), latencies_ms_.empty() ? 0.0 : latencies_ms_.back(),
              latencies_ms_.empty() ? 0.0 : sum / latencies_ms_.size());
  std::printf("\"failure_kinds\":{");
  bool first = true;
  for (auto& [k, n] : failures_.by_kind) {
    std::printf("%s\"%s\":%ld", first ? "" : ",", k.c_str(), n);
    first = false;
  }
  std::printf("},\"failure_samples\":[");
  for (size_t i = 0; i < failures_.samples.size(); ++i) {
    std::string s;
    for (char ch : failures_.samples[i]) {
      if (ch == '"' || ch == '\\') s += '\\';
      if (static_cast<unsigned char>(ch) < 0x20) ch = ' ';
      s += ch;
    }
    std::printf("%s\"%s\"", i ? "," : "", s.c_str());
  }
  std::printf("]}\n");
  return failures_.count == 0 ? 0 : 1;
}

void Usage() {
  std::fprintf(stderr,
               "usage: kemu-loadgen --port N [--host 127.0.0.1] [--workload put-record|put-records|get-records|"
               "list-streams]\n"
               "  [--stream NAME] [--connections 16] [--pipeline 1] [--duration 5] [--requests N] [--rate R]\n"
               "  [--record-bytes 1024] [--records-per-call 500] [--shards 4] [--limit 10000] [--timeout 60]\n");
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto val = [&]() -> std::string {
      if (i + 1 >= argc) {
        Usage();
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--host")
      o.host = val();
    else if (a == "--port")
      o.port = std::atoi(val().c_str());
    else if (a == "--workload")
      o.workload = val();
    else if (a == "--stream")
      o.stream = val();
    else if (a == "--connections")
      o.connections = std::atoi(val().c_str());
    else if (a == "--pipeline")
      o.pipeline = std::atoi(val().c_str());
    else if (a == "--duration")
      o.duration_s = std::atof(val().c_str());
    else if (a == "--requests")
      o.requests = std::atol(val().c_str());
    else if (a == "--rate")
      o.rate = std::atof(val().c_str());
    else if (a == "--record-bytes")
      o.record_bytes = std::atoi(val().c_str());
    else if (a == "--records-per-call")
      o.records_per_call = std::atoi(val().c_str());
    else if (a == "--shards")
      o.shards = std::atoi(val().c_str());
    else if (a == "--limit")
      o.limit = std::atoi(val().c_str());
    else if (a == "--timeout")
      o.timeout_s = std::atof(val().c_str());
    else {
      Usage();
      return 2;
    }
  }
  if (o.port <= 0 || o.connections < 1 || o.pipeline < 1 ||
      (o.workload != "put-record" && o.workload != "put-records" && o.workload != "get-records" &&
       o.workload != "list-streams")) {
    Usage();
    return 2;
  }
  return LoadGen(o).Run();
}
