#include "http/connection_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>

namespace kemu {
namespace {

bool PollFor(socket_t sock, short events, int timeout_ms) {
  pollfd p{sock, events, 0};
  int rc;
  do {
    rc = ::poll(&p, 1, timeout_ms);
  } while (rc < 0 && errno == EINTR);
  return rc > 0 && (p.revents & (events | POLLHUP | POLLERR)) != 0;
}

void AddressOf(socket_t sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  int rc = peer ? ::getpeername(sock, reinterpret_cast<sockaddr*>(&addr), &len)
                : ::getsockname(sock, reinterpret_cast<sockaddr*>(&addr), &len);
  if (rc != 0) return;
  char buf[INET6_ADDRSTRLEN] = {0};
  if (addr.ss_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &a->sin_addr, buf, sizeof(buf));
    port = ntohs(a->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof(buf));
    port = ntohs(a->sin6_port);
  }
  ip = buf;
}

// A socket stream with a read buffer (cpp-httplib reads request lines byte by byte).
class BufferedSocketStream final : public httplib::Stream {
 public:
  BufferedSocketStream(socket_t sock, int timeout_ms) : sock_(sock), timeout_ms_(timeout_ms) {}

  bool is_readable() const override { return begin_ < end_ || PollFor(sock_, POLLIN, timeout_ms_); }
  bool is_writable() const override { return PollFor(sock_, POLLOUT, timeout_ms_); }

  // Bytes the current request may still read; past it, reads report end of stream.
  void SetBudget(size_t bytes) { budget_ = bytes; }

  // True once a read timed out, failed, hit the end of the stream or ran out of budget: the request in
  // progress is incomplete, so whatever follows on this connection cannot be trusted to start a request.
  bool broken() const { return broken_; }

  ssize_t read(char* ptr, size_t size) override {
    if (budget_ == 0) {
      broken_ = true;
      return 0;
    }
    size = std::min(size, budget_);
    if (begin_ == end_) {
      if (!PollFor(sock_, POLLIN, timeout_ms_)) {
        broken_ = true;
        return -1;
      }
      ssize_t n;
      do {
        n = ::recv(sock_, buffer_, sizeof(buffer_), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) {
        broken_ = true;
        return n;
      }
      begin_ = 0;
      end_ = static_cast<size_t>(n);
    }
    size_t n = std::min(size, end_ - begin_);
    std::memcpy(ptr, buffer_ + begin_, n);
    begin_ += n;
    budget_ -= n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    size_t done = 0;
    while (done < size) {
      if (!PollFor(sock_, POLLOUT, timeout_ms_)) return done > 0 ? static_cast<ssize_t>(done) : -1;
      ssize_t n = ::send(sock_, ptr + done, size - done, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return done > 0 ? static_cast<ssize_t>(done) : -1;
      done += static_cast<size_t>(n);
    }
    return static_cast<ssize_t>(done);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { AddressOf(sock_, true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { AddressOf(sock_, false, ip, port); }
  socket_t socket() const override { return sock_; }
  bool has_buffered_data() const { return begin_ < end_; }

 private:
  socket_t sock_;
  int timeout_ms_;
  char buffer_[16 * 1024];
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t budget_ = SIZE_MAX;
  bool broken_ = false;
};

thread_local socket_t t_current_socket = INVALID_SOCKET;

// A request with neither Content-Length nor chunked encoding has no body (RFC 7230 3.3.3); cpp-httplib would
// otherwise read a POST until the client closes.
void DeclareMissingBodyEmpty(httplib::Request& req) {
  if (!req.has_header("Content-Length") && req.get_header_value("Transfer-Encoding").find("chunked") == std::string::npos) {
    req.set_header("Content-Length", "0");
  }
}

}  // namespace

void ConnectionServer::AbortCurrentConnection() {
  if (t_current_socket == INVALID_SOCKET) return;
  linger abort_on_close{1, 0};  // close with a reset, not a graceful FIN
  ::setsockopt(t_current_socket, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
  ::shutdown(t_current_socket, SHUT_RDWR);
}

bool ConnectionServer::CurrentPeerClosed() {
  if (t_current_socket == INVALID_SOCKET) return false;
  pollfd p{t_current_socket, POLLRDHUP, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

bool ConnectionServer::WaitForRequest(socket_t sock) {
  // Under pressure an idle connection is closed after this grace, which spares a client between two requests.
  constexpr auto kIdleGraceUnderPressure = std::chrono::seconds(1);
  const auto idle_since = std::chrono::steady_clock::now();
  const auto deadline = idle_since + std::chrono::seconds(idle_seconds_);
  while (!closing_.load(std::memory_order_acquire)) {
    if (PollFor(sock, POLLIN, 100)) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    if (backlog_.load(std::memory_order_relaxed) > 0 && now - idle_since >= kIdleGraceUnderPressure) return false;
  }
  return false;
}

bool ConnectionServer::StartsWithHttp2Preface(socket_t sock) {
  const std::string_view preface = Http2Connection::kPreface;
  char peek[24];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(io_timeout_seconds_);
  while (!closing_.load(std::memory_order_acquire) && std::chrono::steady_clock::now() < deadline) {
    if (!PollFor(sock, POLLIN, 100)) continue;
    ssize_t n = ::recv(sock, peek, sizeof(peek), MSG_PEEK);
    if (n <= 0) return false;
    // Decide as soon as the bytes seen so far differ from the preface ("POST /", "GET /"...).
    if (std::string_view(peek, n) != preface.substr(0, static_cast<size_t>(n))) return false;
    if (n == static_cast<ssize_t>(preface.size())) return true;
  }
  return false;
}

bool ConnectionServer::process_and_close_socket(socket_t sock) {
  {
    std::lock_guard lock(mu_);
    if (closing_) {
      ::close(sock);
      return false;
    }
    sockets_.insert(sock);
  }
  if (http2_handler_ && StartsWithHttp2Preface(sock)) {
    t_current_socket = sock;
    bool ok = Http2Connection(sock, http2_handler_, closing_, idle_seconds_, io_timeout_seconds_, max_body_bytes_).Serve();
    t_current_socket = INVALID_SOCKET;
    {
      std::lock_guard lock(mu_);
      sockets_.erase(sock);
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return ok;
  }
  BufferedSocketStream stream(sock, io_timeout_seconds_ * 1000);
  t_current_socket = sock;
  bool ok = true;
  while (!closing_.load(std::memory_order_acquire)) {
    if (!stream.has_buffered_data() && !WaitForRequest(sock)) break;
    bool connection_closed = false;
    stream.SetBudget(request_byte_budget_);
    // cpp-httplib calls the setup hook once the request line and headers have parsed.
    bool parsed = false;
    ok = process_request(stream, /*close_connection=*/false, connection_closed, [&parsed](httplib::Request& req) {
      parsed = true;
      DeclareMissingBodyEmpty(req);
    });
    // A request that could not be parsed or was cut short (stalled client, body shorter than announced, over
    // budget) got its 400; the connection is not reused, since its next bytes cannot be trusted to start a
    // request.
    if (!ok || connection_closed || !parsed || stream.broken()) break;
  }
  t_current_socket = INVALID_SOCKET;
  {
    std::lock_guard lock(mu_);
    sockets_.erase(sock);
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

void ConnectionServer::CloseConnections() {
  std::lock_guard lock(mu_);
  closing_ = true;
  for (socket_t s : sockets_) ::shutdown(s, SHUT_RDWR);
}

size_t ConnectionServer::open_connections() {
  std::lock_guard lock(mu_);
  return sockets_.size();
}

}  // namespace kemu
