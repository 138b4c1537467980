#include "http/connection_server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "util/log.h"

namespace kemu {

ConnectionServer::ConnectionServer(RequestHandler handler, const ConnectionLimits& limits)
    : handler_(std::move(handler)),
      limits_(limits),
      http1_limits_{limits.idle_seconds, limits.io_timeout_seconds, limits.max_body_bytes} {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

ConnectionServer::~ConnectionServer() {
  Stop();
  if (pool_) pool_->shutdown();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

Result<int> ConnectionServer::Bind(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) {
    return Status(ErrorCode::kInternalError, "cannot resolve " + host + ": " + ::gai_strerror(rc));
  }
  std::string why = "no address";
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int on = 1;
    const int off = 0;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (a->ai_family == AF_INET6) ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) {
      listen_fd_ = fd;
      break;
    }
    why = std::strerror(errno);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (listen_fd_ < 0) {
    return Status(ErrorCode::kInternalError, "cannot listen on " + host + ":" + service + ": " + why);
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&bound), &len);
  return bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                     : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
}

void ConnectionServer::Serve() {
  if (listen_fd_ < 0) return;
  pool_ = std::make_unique<ElasticThreadPool>(limits_.max_connection_threads, &backlog_);
  running_.store(true, std::memory_order_release);
  while (!closing_.load(std::memory_order_acquire)) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) break;
    if (closing_.load(std::memory_order_acquire)) break;
    if ((fds[0].revents & POLLIN) == 0) continue;
    const int sock = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (sock < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: the pending connection stays queued; try again shortly instead of spinning.
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      continue;
    }
    const int on = 1;
    ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    pool_->enqueue([this, sock] { ServeConnection(sock); });
  }
  ::close(listen_fd_);
  listen_fd_ = -1;
  pool_->shutdown();  // connection threads leave at once: Stop() shut their sockets down
  running_.store(false, std::memory_order_release);
}

void ConnectionServer::Stop() {
  std::lock_guard lock(mu_);
  closing_.store(true, std::memory_order_release);
  if (wake_fd_ >= 0) {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t ignored = ::write(wake_fd_, &one, sizeof(one));
  }
  for (int s : sockets_) ::shutdown(s, SHUT_RDWR);
}

size_t ConnectionServer::open_connections() {
  std::lock_guard lock(mu_);
  return sockets_.size();
}

bool ConnectionServer::StartsWithHttp2Preface(Transport& transport) {
  const std::string_view preface = Http2Connection::kPreface;
  char seen[24];
  size_t have = 0;
  bool is_preface = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits_.io_timeout_seconds);
  while (!closing_.load(std::memory_order_acquire) && std::chrono::steady_clock::now() < deadline) {
    if (!transport.WaitReadable(100)) continue;
    ssize_t n = transport.Read(seen + have, sizeof(seen) - have, limits_.io_timeout_seconds * 1000);
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

std::unique_ptr<Transport> ConnectionServer::OpenTransport(int sock, bool* http2) {
  *http2 = false;
  if (!tls_) return std::make_unique<PlainTransport>(sock);
  std::unique_ptr<TlsTransport> tls = tls_->NewTransport(sock);
  if (!tls) return nullptr;
  std::string error;
  if (!tls->Handshake(limits_.io_timeout_seconds * 1000, &error)) {
    Log(LogLevel::kDebug, "TLS handshake failed: " + error);
    if (tls->plaintext_http()) {
      // A plaintext HTTP client on the TLS port: say so in words it can read.
      static constexpr std::string_view kAnswer =
          "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 42\r\nConnection: close\r\n\r\n"
          "This port speaks TLS: use https:// here.\r\n";
      PlainTransport plain(sock);
      if (plain.WriteAll(kAnswer.data(), kAnswer.size(), 1000)) {
        ::shutdown(sock, SHUT_WR);
        plain.DrainInput(64 * 1024, 500);
      }
    }
    return nullptr;
  }
  *http2 = tls->alpn() == "h2";
  return tls;
}

void ConnectionServer::ServeConnection(int sock) {
  {
    std::lock_guard lock(mu_);
    if (closing_.load(std::memory_order_acquire)) {
      ::close(sock);
      return;
    }
    sockets_.insert(sock);
  }
  bool http2 = false;
  bool reset = false;
  if (std::unique_ptr<Transport> transport = OpenTransport(sock, &http2)) {
    if (!http2) http2 = StartsWithHttp2Preface(*transport);
    if (http2) {
      Http2Connection(*transport, handler_, closing_, limits_.idle_seconds, limits_.io_timeout_seconds,
                      limits_.max_body_bytes)
          .Serve();
    } else {
      Http1Connection(*transport, handler_, closing_, backlog_, http1_limits_).Serve();
    }
    reset = transport->resets_on_close();
    if (!reset) transport->Shutdown();
  }
  {
    std::lock_guard lock(mu_);
    sockets_.erase(sock);
  }
  // A connection being reset (an injected fault) must not send a FIN first: the peer would see an orderly end.
  if (!reset) ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
}

}  // namespace kemu
