// ConnectionServer: the emulator's listening socket and its connections, HTTP/1.1 and HTTP/2 on one port.
//
// Bind() opens the listening socket; Serve() accepts connections until Stop() and runs each one as a task of an
// ElasticThreadPool (a connection holds one thread while it lives; the pool grows on demand up to its bound).
// Each connection's first bytes decide its protocol: with a TlsContext, a TLS handshake comes first and ALPN "h2"
// means HTTP/2; otherwise the HTTP/2 client preface means h2c with prior knowledge, and anything else is HTTP/1.1
// (Http1Connection). Both protocols run on a Transport (plain or TLS) and answer through one RequestHandler.
//
// Stop() ends the accept loop and every open connection at once (blocked reads return); Serve() returns once
// every connection thread is done. While connections wait for a thread (backlog > 0) an idle keep-alive
// connection gives its thread up after a second.
//
// Ownership: owns the listening socket, the pool and the connection sockets; borrows the handler.
// Thread-safety: configure before Bind(); Serve() on one thread; Stop() from any other thread, once.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "http/elastic_thread_pool.h"
#include "http/http1_connection.h"
#include "http/http2_connection.h"
#include "http/tls_context.h"
#include "http/transport.h"
#include "kemu/status.h"

namespace kemu {

struct ConnectionLimits {
  int idle_seconds = 120;       // keep-alive: a connection idle this long is closed
  int io_timeout_seconds = 30;  // a request or a write may stall this long
  size_t max_body_bytes = 16 * 1024 * 1024;
  size_t max_connection_threads = 1024;
};

class ConnectionServer {
 public:
  ConnectionServer(RequestHandler handler, const ConnectionLimits& limits);
  ~ConnectionServer();
  ConnectionServer(const ConnectionServer&) = delete;
  ConnectionServer& operator=(const ConnectionServer&) = delete;

  // Serves TLS (handshake first) on every connection. Call before Serve().
  void SetTls(std::shared_ptr<const TlsContext> tls) { tls_ = std::move(tls); }

  // Binds and listens on host:port (port 0: an ephemeral port). Returns the port.
  Result<int> Bind(const std::string& host, int port);
  // Accepts and serves connections until Stop(), then waits for the connection threads. Returns at once when not
  // bound.
  void Serve();
  // True once Serve() accepts connections.
  bool running() const { return running_.load(std::memory_order_acquire); }
  // Ends the accept loop and every connection (Serve() returns once their threads are done). Idempotent.
  void Stop();

  size_t open_connections();

 private:
  void ServeConnection(int sock);
  // The connection's transport, after the TLS handshake when serving TLS; null when the handshake failed.
  std::unique_ptr<Transport> OpenTransport(int sock, bool* http2);
  // True when the connection's first bytes are the HTTP/2 client preface (waits for them up to the I/O timeout).
  // The bytes read stay in the transport for whoever serves the connection.
  bool StartsWithHttp2Preface(Transport& transport);

  const RequestHandler handler_;
  const ConnectionLimits limits_;
  const Http1Limits http1_limits_;  // derived from limits_
  std::shared_ptr<const TlsContext> tls_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: wakes the accept loop at Stop()
  std::atomic<bool> running_{false};
  std::atomic<bool> closing_{false};
  std::atomic<size_t> backlog_{0};
  std::unique_ptr<ElasticThreadPool> pool_;
  std::mutex mu_;
  std::set<int> sockets_;
};

}  // namespace kemu
