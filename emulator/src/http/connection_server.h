// ConnectionServer: cpp-httplib's Server with the emulator's own per-connection loop.
//
// cpp-httplib keeps a keep-alive connection until its idle timeout and cannot end it early, so stopping a
// server with connected clients would wait for every idle client. This subclass takes over the per-connection
// hook: it serves requests through the library's request processor on a buffered socket stream, tracks every
// live socket, and on CloseConnections() shuts them all down so their threads return at once. Each connection
// holds a thread while it lives, so when connections are waiting for a thread (backlog() > 0) a connection that
// has been idle between requests for a second gives its thread up; and a request may not read more than its byte
// budget (headers plus the body cap), so no client can make the server buffer without bound. It is also the
// one place that sees a connection's first bytes (where HTTP/2 will be told apart).
//
// Thread-safety: CloseConnections() may be called from any thread; the rest is driven by cpp-httplib.
#pragma once

#include <httplib.h>

#include <atomic>
#include <mutex>
#include <set>

#include "http/http2_connection.h"

namespace kemu {

class ConnectionServer final : public httplib::Server {
 public:
  ConnectionServer() = default;

  void SetKeepAlive(int idle_seconds) { idle_seconds_ = idle_seconds; }
  void SetIoTimeout(int seconds) { io_timeout_seconds_ = seconds; }
  // Serves connections that open with the HTTP/2 preface (h2c, prior knowledge). Set before serving.
  void SetHttp2Handler(RequestHandler handler) { http2_handler_ = std::move(handler); }
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
  // True when the peer of the connection the calling thread is serving has hung up (for streaming responses,
  // which otherwise only notice at their next write).
  static bool CurrentPeerClosed();

 private:
  bool process_and_close_socket(socket_t sock) override;
  // Waits until `sock` is readable, the idle limit passes or the server stops; true when there is data.
  bool WaitForRequest(socket_t sock);

  // True when the connection's first bytes are the HTTP/2 client preface (waits for them up to the I/O timeout).
  bool StartsWithHttp2Preface(socket_t sock);

  RequestHandler http2_handler_;
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
