// Transport: the byte stream under one connection, plain TCP or TLS, so the HTTP/1.1 loop and Http2Connection
// are written once.
//
// Every call takes its own timeout and never blocks past it. Bytes handed back with Unread() are returned by the
// next reads before anything from the wire (how ConnectionServer looks at a connection's first bytes without
// consuming them). Ownership: a Transport does not own its socket; ConnectionServer closes it after the
// transport is gone. Shutting the socket down from another thread (ConnectionServer::CloseConnections) makes
// pending and later calls return at once.
//
// Thread-safety: one thread uses a Transport at a time.
#pragma once

#include <openssl/ssl.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <string>

namespace kemu {

class Transport {
 public:
  virtual ~Transport() = default;

  // Reads up to `size` bytes, waiting up to timeout_ms for the first one. Returns the count, 0 when the peer
  // closed the connection, -1 on a timeout or an error.
  ssize_t Read(char* buf, size_t size, int timeout_ms);
  // True when a Read would return without waiting for the peer (data, end of stream or an error), within
  // timeout_ms.
  bool WaitReadable(int timeout_ms);
  // Puts bytes back in front of the stream; the next reads return them first.
  void Unread(std::string bytes) { pushback_ = std::move(bytes) + pushback_; }

  // Writes every byte, each chunk waiting up to timeout_ms for room. False on a timeout or an error. A transport
  // may hold small writes back and send them together; they go out before it next waits for the peer (Read,
  // WaitReadable) and at Shutdown(), within the timeout of the write.
  virtual bool WriteAll(const char* data, size_t size, int timeout_ms) = 0;
  // Reads and drops what the peer still sends, until it closes or `max_bytes` or `max_ms` are reached. Called
  // after an answer that ends the connection (and after shutting down the sending side), so that closing with
  // unread input does not reset the connection before the peer has read the answer.
  void DrainInput(size_t max_bytes, int max_ms);
  // True when the socket can take more bytes within timeout_ms.
  bool WaitWritable(int timeout_ms);
  // Sends what is held back, then ends the stream politely where the protocol has a way to (TLS close_notify);
  // best effort, bounded wait.
  virtual void Shutdown() {}
  // Asks for the connection to end with a TCP RST rather than an orderly close (an injected reset): SO_LINGER 0.
  // Whoever closes the socket then skips Shutdown() and shutdown(), which would send a FIN first.
  void ResetOnClose();
  bool resets_on_close() const { return reset_on_close_; }

  int socket() const { return sock_; }

 protected:
  explicit Transport(int sock) : sock_(sock) {}
  virtual ssize_t ReadSome(char* buf, size_t size, int timeout_ms) = 0;
  // Bytes already received but not yet returned by ReadSome (decrypted or still encrypted).
  virtual bool HasBufferedInput() const { return false; }
  // Sends what WriteAll held back. False on a timeout or an error.
  virtual bool FlushPending() { return true; }

  const int sock_;

 private:
  std::string pushback_;
  bool reset_on_close_ = false;
};

// A plain TCP connection.
class PlainTransport final : public Transport {
 public:
  explicit PlainTransport(int sock) : Transport(sock) {}
  bool WriteAll(const char* data, size_t size, int timeout_ms) override;

 protected:
  ssize_t ReadSome(char* buf, size_t size, int timeout_ms) override;
};

// A TLS connection over OpenSSL. The SSL object's I/O goes through memory BIOs; this class moves bytes between
// them and the socket with poll/recv/send (MSG_NOSIGNAL), so every wait is bounded and no SIGPIPE is raised.
class TlsTransport final : public Transport {
 public:
  // Takes ownership of `ssl` (made from the server's SSL_CTX).
  TlsTransport(int sock, SSL* ssl);
  ~TlsTransport() override;
  TlsTransport(const TlsTransport&) = delete;
  TlsTransport& operator=(const TlsTransport&) = delete;

  // Runs the server side of the handshake, all of it within timeout_ms. On failure, `error` says why.
  bool Handshake(int timeout_ms, std::string* error);
  // After a failed Handshake: true when the client spoke plaintext HTTP to the TLS port.
  bool plaintext_http() const { return plaintext_http_; }
  // The protocol ALPN chose ("h2", "http/1.1"), or "" when the client offered none.
  std::string alpn() const;

  bool WriteAll(const char* data, size_t size, int timeout_ms) override;
  void Shutdown() override;

 protected:
  ssize_t ReadSome(char* buf, size_t size, int timeout_ms) override;
  bool HasBufferedInput() const override;
  bool FlushPending() override;

 private:
  using Deadline = std::chrono::steady_clock::time_point;
  // Sends what OpenSSL has written to the outgoing BIO. False on a timeout or an error.
  bool Flush(Deadline deadline);
  // Receives one chunk from the socket into the incoming BIO. 1: got bytes, 0: peer closed, -1: timeout/error.
  int Fill(Deadline deadline);

  SSL* ssl_;
  BIO* in_;   // socket -> OpenSSL (owned by ssl_)
  BIO* out_;  // OpenSSL -> socket (owned by ssl_)
  bool eof_ = false;
  bool plaintext_http_ = false;
  int flush_timeout_ms_ = 30000;  // the timeout of the last WriteAll, for sending what it held back
};

}  // namespace kemu
