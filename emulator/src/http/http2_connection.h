// Http2Connection: one HTTP/2 connection (h2c with prior knowledge, or h2 over TLS), served with nghttp2.
//
// ConnectionServer hands a connection's Transport here when its first bytes are the HTTP/2 client preface or TLS
// ALPN chose h2. Requests may arrive
// on many concurrent streams; each complete request (headers + body) is turned into an HttpRequest, answered by
// the handler, and sent back on its stream. Flow control, PING and SETTINGS are nghttp2's; the connection ends
// with GOAWAY when the peer sends one, when it is idle too long, or when the server stops.
//
// Thread-safety: one thread serves one connection; Serve() returns when the connection is over.
#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "http/http_types.h"
#include "http/transport.h"

namespace kemu {

using RequestHandler = std::function<HttpResponse(const HttpRequest&)>;

class Http2Connection {
 public:
  // A request body over max_body_bytes is answered 413 (and the rest of it dropped); request bodies held at once
  // on one connection are capped at kMaxBufferedBodyBytes (then GOAWAY ENHANCE_YOUR_CALM), and one request's
  // headers at 1 MiB (then RST_STREAM), so a connection's memory stays bounded whatever the peer sends.
  Http2Connection(Transport& transport, const RequestHandler& handler, const std::atomic<bool>& closing,
                  int idle_seconds, int io_timeout_seconds, size_t max_body_bytes);
  // Serves until the connection ends. Returns false on a protocol or socket error.
  bool Serve();

  // The 24-byte client connection preface.
  static constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  // The connection flow-control window: what a peer may send before the server has taken any of it.
  static constexpr size_t kMaxBufferedBodyBytes = 64 * 1024 * 1024;

 private:
  Transport& transport_;
  const RequestHandler& handler_;
  const std::atomic<bool>& closing_;
  int idle_seconds_;
  int io_timeout_seconds_;
  size_t max_body_bytes_;
};

}  // namespace kemu
