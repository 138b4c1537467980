// Transport-neutral request and response, so the Kinesis protocol logic serves HTTP/1.1 and HTTP/2 alike.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kemu/fault_plugin.h"

namespace kemu {

// Orders header names without regard to ASCII case; transparent, so lookups take a string_view without a copy.
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const {
    const size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      const unsigned char x = Fold(a[i]);
      const unsigned char y = Fold(b[i]);
      if (x != y) return x < y;
    }
    return a.size() < b.size();
  }
  static unsigned char Fold(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 'A' && u <= 'Z' ? static_cast<unsigned char>(u | 0x20) : u;
  }
};

struct HttpRequest {
  std::string http_version = "1.1";  // "1.1" or "2"
  std::string method;
  std::string path;
  std::map<std::string, std::string, CaseInsensitiveLess> headers;
  std::map<std::string, std::string> query;
  std::string body;

  std::string Header(std::string_view name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool HasHeader(std::string_view name) const { return headers.find(name) != headers.end(); }
  // A query parameter's value ("" when absent).
  std::string Query(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
};

// A response body produced over time (SubscribeToShard's event stream), which the transport pulls until it ends.
// HTTP/1.1 sends it chunked from the connection's thread (Pull, then Wait while there is nothing); HTTP/2 pulls
// it from its event loop, which SetWaker wakes, and pulls again at least every kRepollMs (for what time decides).
// Destroying the stream (the client went away, the connection ended) ends whatever produces it.
//
// Thread-safety: one thread at a time calls Pull/Wait; the waker may run on any thread.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // kEnd: nothing follows the bytes. kReset: the transport sends the bytes, then resets the answer (HTTP/1.1 and
  // TLS: the connection, with a TCP RST; HTTP/2: RST_STREAM INTERNAL_ERROR). kResetConnection: the same, except
  // that HTTP/2 ends the whole connection (GOAWAY INTERNAL_ERROR, then close).
  enum class State { kMore, kEnd, kReset, kResetConnection };
  // Appends the bytes ready now (possibly none) to `out`, without blocking.
  virtual State Pull(std::string& out) = 0;
  // Blocks until Pull() may have more bytes, at most `timeout`.
  virtual void Wait(std::chrono::milliseconds timeout) = 0;
  // `waker` (short, non-blocking, callable from any thread) runs whenever Pull() may have more bytes. Call once,
  // before pulling, when the transport has no thread to spare for Wait().
  virtual void SetWaker(std::function<void()> waker) = 0;
  // A transport without a thread for Wait() pulls again within this, even when the waker did not run (what only
  // time decides: a heartbeat, the next slice of a shaped answer).
  virtual std::chrono::milliseconds PollWithin() const { return kRepollMs; }

  // A wire fault that applies from some bytes of the last Pull() on (an event stream's per-event fault): `offset`
  // is where they start among the bytes that Pull appended, `length` how many they are (the event's message).
  struct WireFaultAt {
    WireFault fault;
    size_t offset = 0;
    size_t length = 0;
  };
  // The wire fault the last Pull() produced, once; none by default.
  virtual std::optional<WireFaultAt> TakeWireFault() { return std::nullopt; }

  static constexpr std::chrono::milliseconds kRepollMs{100};
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // empty: no Content-Type header
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  WireFault wire;                          // an injected fault on the connection (kemu/fault_plugin.h)
  std::shared_ptr<ResponseStream> stream;  // when set, the body comes from it (HTTP/1.1: chunked, unless...)
  std::optional<size_t> stream_length;     // ...its length is known (sent as Content-Length), or...
  bool stream_ends_connection = false;     // ...it ends with the connection (Connection: close, no length)
};

}  // namespace kemu
