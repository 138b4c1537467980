#include "http/transport.h"

#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace kemu {
namespace {

using SteadyClock = std::chrono::steady_clock;

bool PollFor(int sock, short events, int timeout_ms) {
  pollfd p{sock, events, 0};
  int rc;
  do {
    rc = ::poll(&p, 1, std::max(timeout_ms, 0));
  } while (rc < 0 && errno == EINTR);
  return rc > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
}

int MillisUntil(SteadyClock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
}

// Sends all of data on a socket before the deadline; false on a timeout or an error.
bool SendAll(int sock, const char* data, size_t size, SteadyClock::time_point deadline) {
  size_t done = 0;
  while (done < size) {
    if (!PollFor(sock, POLLOUT, MillisUntil(deadline))) return false;
    ssize_t n = ::send(sock, data + done, size - done, MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

ssize_t Transport::Read(char* buf, size_t size, int timeout_ms) {
  if (!FlushPending()) return -1;
  if (!pushback_.empty()) {
    size_t n = std::min(size, pushback_.size());
    std::memcpy(buf, pushback_.data(), n);
    pushback_.erase(0, n);
    return static_cast<ssize_t>(n);
  }
  return ReadSome(buf, size, timeout_ms);
}

bool Transport::WaitReadable(int timeout_ms) {
  // Waiting for the peer with our own answer still held back could wait forever; a failed flush is an error the
  // next Read reports.
  if (!FlushPending()) return true;
  return !pushback_.empty() || HasBufferedInput() || PollFor(sock_, POLLIN, timeout_ms);
}

void Transport::DrainInput(size_t max_bytes, int max_ms) {
  char sink[16 * 1024];
  const auto deadline = SteadyClock::now() + std::chrono::milliseconds(max_ms);
  for (size_t drained = 0; drained < max_bytes;) {
    const int left = MillisUntil(deadline);
    if (left <= 0) break;
    const ssize_t n = Read(sink, std::min(sizeof(sink), max_bytes - drained), left);
    if (n <= 0) break;
    drained += static_cast<size_t>(n);
  }
}

bool Transport::WaitWritable(int timeout_ms) { return PollFor(sock_, POLLOUT, timeout_ms); }

// --- PlainTransport ---

ssize_t PlainTransport::ReadSome(char* buf, size_t size, int timeout_ms) {
  auto receive = [&] {
    ssize_t n;
    do {
      n = ::recv(sock_, buf, size, MSG_DONTWAIT);
    } while (n < 0 && errno == EINTR);
    return n;
  };
  // Bytes that are already there cost one call; only an empty socket is polled.
  const ssize_t n = receive();
  if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) return n;
  if (timeout_ms <= 0 || !PollFor(sock_, POLLIN, timeout_ms)) return -1;
  return receive();
}

bool PlainTransport::WriteAll(const char* data, size_t size, int timeout_ms) {
  // Each chunk gets the full timeout, as a stalled reader is what it guards against.
  size_t done = 0;
  while (done < size) {
    // Try first; wait for room only when the socket's buffer is full.
    ssize_t n = ::send(sock_, data + done, size - done, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!PollFor(sock_, POLLOUT, timeout_ms)) return false;
      continue;
    }
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// --- TlsTransport ---

TlsTransport::TlsTransport(int sock, SSL* ssl) : Transport(sock), ssl_(ssl) {
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  BIO_set_mem_eof_return(in_, -1);  // an empty incoming BIO means "wait for more", not end of stream
  SSL_set_bio(ssl_, in_, out_);
  SSL_set_accept_state(ssl_);
}

TlsTransport::~TlsTransport() { SSL_free(ssl_); }

bool TlsTransport::Flush(Deadline deadline) {
  char buf[16 * 1024];
  while (BIO_ctrl_pending(out_) > 0) {
    int n = BIO_read(out_, buf, sizeof(buf));
    if (n <= 0) break;
    if (!SendAll(sock_, buf, static_cast<size_t>(n), deadline)) return false;
  }
  return true;
}

int TlsTransport::Fill(Deadline deadline) {
  if (eof_) return 0;
  if (!PollFor(sock_, POLLIN, MillisUntil(deadline))) return -1;
  char buf[16 * 1024 + 512];
  ssize_t n;
  do {
    n = ::recv(sock_, buf, sizeof(buf), 0);
  } while (n < 0 && errno == EINTR);
  if (n == 0) {
    eof_ = true;
    return 0;
  }
  if (n < 0) return -1;
  BIO_write(in_, buf, static_cast<int>(n));
  return 1;
}

bool TlsTransport::Handshake(int timeout_ms, std::string* error) {
  const Deadline deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    ERR_clear_error();
    int rc = SSL_do_handshake(ssl_);
    int err = rc == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl_, rc);
    if (err != SSL_ERROR_NONE && err != SSL_ERROR_WANT_READ) {
      unsigned long code = ERR_peek_error();
      char text[256] = "handshake failed";
      if (code != 0) ERR_error_string_n(code, text, sizeof(text));
      *error = text;
      plaintext_http_ = ERR_GET_LIB(code) == ERR_LIB_SSL && ERR_GET_REASON(code) == SSL_R_HTTP_REQUEST;
      // The alert OpenSSL queued goes out, except to a plaintext HTTP client (who gets a readable answer).
      if (!plaintext_http_) Flush(deadline);
      ERR_clear_error();
      return false;
    }
    // Whatever OpenSSL wrote (ServerHello and the rest of its flight) goes out first.
    bool flushed = Flush(deadline);
    if (rc == 1) return flushed || (*error = "could not send the handshake", false);
    if (!flushed) {
      *error = "could not send the handshake";
      return false;
    }
    int got = Fill(deadline);
    if (got <= 0) {
      *error = got == 0 ? "peer closed the connection during the handshake" : "handshake timed out";
      return false;
    }
  }
}

std::string TlsTransport::alpn() const {
  const unsigned char* proto = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(ssl_, &proto, &len);
  return proto == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(proto), len);
}

bool TlsTransport::HasBufferedInput() const { return eof_ || SSL_pending(ssl_) > 0 || BIO_ctrl_pending(in_) > 0; }

ssize_t TlsTransport::ReadSome(char* buf, size_t size, int timeout_ms) {
  const Deadline deadline = SteadyClock::now() + std::chrono::milliseconds(timeout_ms);
  const int want = static_cast<int>(std::min<size_t>(size, 1 << 30));
  while (true) {
    ERR_clear_error();
    int n = SSL_read(ssl_, buf, want);
    if (n > 0) return n;
    int err = SSL_get_error(ssl_, n);
    // Anything OpenSSL had to say meanwhile (session tickets, key-update answers) goes out.
    if (!Flush(deadline)) return -1;
    if (err == SSL_ERROR_ZERO_RETURN) return 0;  // close_notify
    if (err != SSL_ERROR_WANT_READ) {
      ERR_clear_error();
      return -1;
    }
    int got = Fill(deadline);
    if (got <= 0) return got;
  }
}

bool TlsTransport::WriteAll(const char* data, size_t size, int timeout_ms) {
  // Small writes (an HTTP/2 frame, a response's headers) are encrypted into the outgoing BIO and sent together
  // once kMaxHeldBytes accumulate or before the next wait for the peer (FlushPending): one send for a burst of
  // frames instead of one per frame.
  constexpr size_t kMaxHeldBytes = 64 * 1024;
  flush_timeout_ms_ = timeout_ms;
  size_t done = 0;
  while (done < size) {
    const int chunk = static_cast<int>(std::min<size_t>(size - done, 256 * 1024));
    ERR_clear_error();
    int n = SSL_write(ssl_, data + done, chunk);
    if (n <= 0) {
      ERR_clear_error();
      return false;
    }
    done += static_cast<size_t>(n);
    if (BIO_ctrl_pending(out_) >= kMaxHeldBytes && !Flush(SteadyClock::now() + std::chrono::milliseconds(timeout_ms))) {
      return false;
    }
  }
  return true;
}

bool TlsTransport::FlushPending() {
  return BIO_ctrl_pending(out_) == 0 || Flush(SteadyClock::now() + std::chrono::milliseconds(flush_timeout_ms_));
}

void TlsTransport::Shutdown() {
  if (!SSL_is_init_finished(ssl_)) return;
  if (!FlushPending()) return;
  ERR_clear_error();
  SSL_shutdown(ssl_);  // queues close_notify; the peer's answer is not waited for
  Flush(SteadyClock::now() + std::chrono::milliseconds(100));
  ERR_clear_error();
}

void Transport::ResetOnClose() {
  linger abort_on_close{1, 0};
  ::setsockopt(sock_, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
  reset_on_close_ = true;
}

}  // namespace kemu
