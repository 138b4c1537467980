// ConnectionServer: cpp-httplib's Server with the emulator's own per-connection loop.
//
// cpp-httplib keeps a keep-alive connection until its idle timeout and cannot end it early, so stopping a
// server with connected clients would wait for every idle client. This subclass takes over the per-connection
// hook: it serves requests through the library's request processor on a buffered socket stream, tracks every
// live socket, and on CloseConnections() shuts them all down so their threads return at once. Each connection
// holds a thread while it lives, so when connections are waiting for a thread (backlog() > 0) a connection that
// has been idle between requests for a second gives its thread up; and a request may not read more than its byte
// budget (headers plus the body cap), so no client can make the server buffer without bound. It is also the
// one place that sees a connection's first bytes (where HTTP/2 is told apart).
//
// With a TlsContext every connection starts with a TLS handshake (bounded by the I/O timeout); TLS ALPN "h2"
// goes to HTTP/2, anything else to HTTP/1.1 unless its first bytes are the HTTP/2 preface. Both protocols run on
// a Transport (plain or TLS), so they are written once.
//
// Thread-safety: CloseConnections() may be called from any thread; the rest is driven by cpp-httplib.
#pragma once

#include <httplib.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <set>

#include "http/http2_connection.h"
#include "http/tls_context.h"
#include "http/transport.h"

namespace kemu {

class ConnectionServer final : public httplib::Server {
 public:
  ConnectionServer() = default;

  void SetKeepAlive(int idle_seconds) { idle_seconds_ = idle_seconds; }
  void SetIoTimeout(int seconds) { io_timeout_seconds_ = seconds; }
  // Serves connections that open with the HTTP/2 preface (h2c, prior knowledge). Set before serving.
  void SetHttp2Handler(RequestHandler handler) { http2_handler_ = std::move(handler); }
  // Serves TLS (handshake first) instead of plaintext on every connection. Set before serving.
  void SetTls(std::shared_ptr<const TlsContext> tls) { tls_ = std::move(tls); }
  // Most bytes one request may make the server read (request line, headers and body together).
  void SetRequestByteBudget(size_t bytes) { request_byte_budget_ = bytes; }
  // Largest request body; HTTP/2 streams with a larger one are answered 413 (HTTP/1.1 has cpp-httplib's cap).
  void SetMaxBodyBytes(size_t bytes) { max_body_bytes_ = bytes; }
  // Connections accepted and waiting for a thread; the task queue (ElasticThreadPool) keeps it current.
  std::atomic<size_t>* backlog() { return &backlog_; }

  // Ends every open connection (blocked reads return at once) and refuses to serve more requests.
  void CloseConnections();
  size_t open_connections();
  // Closes the connection the calling thread is serving, without an answer (for the connection-reset fault).
  static void AbortCurrentConnection();
  // For a streaming response on HTTP/1.1: sends what the calling thread's connection holds back (a transport may
  // batch small writes until it next waits for the peer) and returns false once the peer has hung up, which a
  // stream would otherwise only notice at its next write.
  static bool FlushCurrentConnection();

 private:
  bool process_and_close_socket(socket_t sock) override;
  // The connection's transport, after the TLS handshake when serving TLS; null when the handshake failed.
  std::unique_ptr<Transport> OpenTransport(socket_t sock, bool* http2);
  // The HTTP/1.1 keep-alive loop. Returns false when a request could not be processed.
  bool ServeHttp1(Transport& transport);
  // Waits until the transport is readable, the idle limit passes or the server stops; true when there is data.
  bool WaitForRequest(Transport& transport);

  // True when the connection's first bytes are the HTTP/2 client preface (waits for them up to the I/O timeout).
  // The bytes read stay in the transport for whoever serves the connection.
  bool StartsWithHttp2Preface(Transport& transport);

  RequestHandler http2_handler_;
  std::shared_ptr<const TlsContext> tls_;
  int idle_seconds_ = 120;
  int io_timeout_seconds_ = 30;
  size_t request_byte_budget_ = 17 * 1024 * 1024;
  size_t max_body_bytes_ = 16 * 1024 * 1024;
  std::atomic<size_t> backlog_{0};
  std::atomic<bool> closing_{false};
  std::mutex mu_;
  std::set<socket_t> sockets_;
};

}  // namespace kemu
