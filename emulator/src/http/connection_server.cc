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

#include "util/log.h"

namespace kemu {
namespace {

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

// A buffered stream over a connection's transport (cpp-httplib reads request lines byte by byte).
class BufferedTransportStream final : public httplib::Stream {
 public:
  BufferedTransportStream(Transport& transport, int timeout_ms) : transport_(transport), timeout_ms_(timeout_ms) {}

  bool is_readable() const override { return begin_ < end_ || transport_.WaitReadable(timeout_ms_); }
  bool is_writable() const override { return transport_.WaitWritable(timeout_ms_); }

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
      ssize_t n = transport_.Read(buffer_, sizeof(buffer_), timeout_ms_);
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
    return transport_.WriteAll(ptr, size, timeout_ms_) ? static_cast<ssize_t>(size) : -1;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    AddressOf(transport_.socket(), true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    AddressOf(transport_.socket(), false, ip, port);
  }
  socket_t socket() const override { return transport_.socket(); }
  bool has_buffered_data() const { return begin_ < end_; }

 private:
  Transport& transport_;
  int timeout_ms_;
  char buffer_[16 * 1024];
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t budget_ = SIZE_MAX;
  bool broken_ = false;
};

thread_local socket_t t_current_socket = INVALID_SOCKET;
thread_local Transport* t_current_transport = nullptr;  // the HTTP/1.1 connection this thread serves

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

bool ConnectionServer::FlushCurrentConnection() {
  if (t_current_transport == nullptr) return false;
  // A transport may hold small writes back until it next waits for the peer: this wait sends them.
  t_current_transport->WaitReadable(0);
  pollfd p{t_current_transport->socket(), POLLRDHUP, 0};
  return !(::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0);
}

bool ConnectionServer::WaitForRequest(Transport& transport) {
  // Under pressure an idle connection is closed after this grace, which spares a client between two requests.
  constexpr auto kIdleGraceUnderPressure = std::chrono::seconds(1);
  const auto idle_since = std::chrono::steady_clock::now();
  const auto deadline = idle_since + std::chrono::seconds(idle_seconds_);
  while (!closing_.load(std::memory_order_acquire)) {
    if (transport.WaitReadable(100)) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    if (backlog_.load(std::memory_order_relaxed) > 0 && now - idle_since >= kIdleGraceUnderPressure) return false;
  }
  return false;
}

bool ConnectionServer::StartsWithHttp2Preface(Transport& transport) {
  const std::string_view preface = Http2Connection::kPreface;
  char seen[24];
  size_t have = 0;
  bool is_preface = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(io_timeout_seconds_);
  while (!closing_.load(std::memory_order_acquire) && std::chrono::steady_clock::now() < deadline) {
    if (!transport.WaitReadable(100)) continue;
    ssize_t n = transport.Read(seen + have, sizeof(seen) - have, io_timeout_seconds_ * 1000);
    if (n <= 0) break;
    have += static_cast<size_t>(n);
    // Decide as soon as the bytes seen so far differ from the preface ("POST /", "GET /"...).
    if (std::string_view(seen, have) != preface.substr(0, have)) break;
    if (have == preface.size()) {
      is_preface = true;
      break;
    }
  }
  transport.Unread(std::string(seen, have));
  return is_preface;
}

std::unique_ptr<Transport> ConnectionServer::OpenTransport(socket_t sock, bool* http2) {
  *http2 = false;
  if (!tls_) return std::make_unique<PlainTransport>(sock);
  std::unique_ptr<TlsTransport> tls = tls_->NewTransport(sock);
  if (!tls) return nullptr;
  std::string error;
  if (!tls->Handshake(io_timeout_seconds_ * 1000, &error)) {
    Log(LogLevel::kDebug, "TLS handshake failed: " + error);
    if (tls->plaintext_http()) {
      // A plaintext HTTP client on the TLS port: say so in words it can read.
      static constexpr std::string_view kAnswer =
          "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 42\r\nConnection: close\r\n\r\n"
          "This port speaks TLS: use https:// here.\r\n";
      PlainTransport plain(sock);
      if (plain.WriteAll(kAnswer.data(), kAnswer.size(), 1000)) {
        // Read what the client still sends (briefly, up to 64 KiB) before closing, so the close is not a reset
        // that could destroy the answer on its way.
        ::shutdown(sock, SHUT_WR);
        char sink[4096];
        for (size_t drained = 0; drained < 64 * 1024;) {
          ssize_t n = plain.Read(sink, sizeof(sink), 200);
          if (n <= 0) break;
          drained += static_cast<size_t>(n);
        }
      }
    }
    return nullptr;
  }
  *http2 = tls->alpn() == "h2";
  return tls;
}

bool ConnectionServer::ServeHttp1(Transport& transport) {
  BufferedTransportStream stream(transport, io_timeout_seconds_ * 1000);
  t_current_transport = &transport;
  bool ok = true;
  while (!closing_.load(std::memory_order_acquire)) {
    if (!stream.has_buffered_data() && !WaitForRequest(transport)) break;
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
  t_current_transport = nullptr;
  return ok;
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
  t_current_socket = sock;
  bool ok = false;
  bool http2 = false;
  if (std::unique_ptr<Transport> transport = OpenTransport(sock, &http2)) {
    if (!http2 && http2_handler_) http2 = StartsWithHttp2Preface(*transport);
    if (http2 && http2_handler_) {
      ok = Http2Connection(*transport, http2_handler_, closing_, idle_seconds_, io_timeout_seconds_, max_body_bytes_)
               .Serve();
    } else if (!http2) {
      ok = ServeHttp1(*transport);
    }
    transport->Shutdown();
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
