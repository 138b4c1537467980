// A Server on a TLS port, driven by a hand-made OpenSSL client: ALPN choice, HTTP/1.1 and HTTP/2 over TLS,
// plaintext refused, a silent client timed out, shutdown with TLS connections open.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "kemu/server.h"

namespace kemu {
namespace {

using Clock = std::chrono::steady_clock;

int Connect(int port) {
  int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(sock, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(sock);
    return -1;
  }
  timeval tv{10, 0};
  ::setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return sock;
}

// One TLS client connection (blocking, 10 s receive timeout), verifying the server against its certificate.
class TlsClient {
 public:
  TlsClient(int port, const std::string& ca_file, const std::string& alpn_wire) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    sock_ = Connect(port);
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, sock_);
    SSL_set1_host(ssl_, "127.0.0.1");
    if (!alpn_wire.empty()) {
      SSL_set_alpn_protos(ssl_, reinterpret_cast<const unsigned char*>(alpn_wire.data()),
                          static_cast<unsigned>(alpn_wire.size()));
    }
    connected_ = SSL_connect(ssl_) == 1;
  }
  ~TlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    if (sock_ >= 0) ::close(sock_);
  }

  bool connected() const { return connected_; }
  std::string alpn() const {
    const unsigned char* p = nullptr;
    unsigned len = 0;
    SSL_get0_alpn_selected(ssl_, &p, &len);
    return p ? std::string(reinterpret_cast<const char*>(p), len) : "";
  }
  bool Write(const std::string& data) { return SSL_write(ssl_, data.data(), static_cast<int>(data.size())) > 0; }
  // Reads until `needle` has been seen `times` times or the stream ends.
  std::string ReadUntil(const std::string& needle, int times) {
    std::string out;
    char buf[4096];
    auto count = [&] {
      int n = 0;
      for (size_t at = out.find(needle); at != std::string::npos; at = out.find(needle, at + 1)) ++n;
      return n;
    };
    while (count() < times) {
      int n = SSL_read(ssl_, buf, sizeof(buf));
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }
  // Reads until `min_bytes` arrived or the stream ends.
  std::string Read(size_t min_bytes) {
    std::string out;
    char buf[4096];
    while (out.size() < min_bytes) {
      int n = SSL_read(ssl_, buf, sizeof(buf));
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int sock_ = -1;
  bool connected_ = false;
};

const std::string kH2AndHttp11("\x02h2\x08http/1.1", 12);
const std::string kHttp11Only("\x08http/1.1", 9);
const std::string kHealth = "GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
// The client preface and an empty SETTINGS frame.
const std::string kH2Start = std::string("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") + std::string("\0\0\0\x04\0\0\0\0\0", 9);

class TlsServerTest : public ::testing::Test {
 protected:
  void StartServer(int io_timeout_seconds = 30) {
    ServerOptions options;
    options.host = "127.0.0.1";
    options.port = 0;
    options.tls = true;
    options.log_level = LogLevel::kError;
    options.io_timeout_seconds = io_timeout_seconds;
    auto server = Server::Create(options);
    ASSERT_TRUE(server.ok()) << server.status().message();
    server_ = std::move(server).value();
    ASSERT_TRUE(server_->Start().ok());
  }
  int port() const { return server_->port(); }
  const std::string& ca() const { return server_->options().tls_cert_file; }

  // The type of the first HTTP/2 frame the server sends after the preface (4: SETTINGS), or -1.
  static int FirstFrameType(TlsClient& client) {
    if (!client.Write(kH2Start)) return -1;
    std::string header = client.Read(9);
    return header.size() >= 9 ? static_cast<unsigned char>(header[3]) : -1;
  }

  std::unique_ptr<Server> server_;
};

TEST_F(TlsServerTest, EndpointIsHttpsAndTheCertificateExistsWhileServing) {
  StartServer();
  EXPECT_EQ(server_->endpoint(), "https://127.0.0.1:" + std::to_string(port()));
  ASSERT_FALSE(ca().empty());
  const std::string cert = ca();
  EXPECT_EQ(::access(cert.c_str(), R_OK), 0);
  server_.reset();
  EXPECT_NE(::access(cert.c_str(), F_OK), 0);  // the generated directory goes with the server
}

TEST_F(TlsServerTest, AlpnH2GoesToHttp2) {
  StartServer();
  TlsClient client(port(), ca(), kH2AndHttp11);
  ASSERT_TRUE(client.connected());
  EXPECT_EQ(client.alpn(), "h2");
  EXPECT_EQ(FirstFrameType(client), 4);
}

TEST_F(TlsServerTest, AlpnHttp11GoesToHttp11AndServesTheAdminApi) {
  StartServer();
  TlsClient client(port(), ca(), kHttp11Only);
  ASSERT_TRUE(client.connected());
  EXPECT_EQ(client.alpn(), "http/1.1");
  ASSERT_TRUE(client.Write(kHealth));
  std::string first = client.ReadUntil("\"status\":\"ok\"", 1);
  EXPECT_EQ(first.substr(0, 12), "HTTP/1.1 200");
  // Keep-alive: a second request on the same TLS connection.
  ASSERT_TRUE(client.Write(kHealth));
  std::string second = client.ReadUntil("\"status\":\"ok\"", 1);
  EXPECT_EQ(second.substr(0, 12), "HTTP/1.1 200");
}

TEST_F(TlsServerTest, NoAlpnIsHttp11UnlessTheFirstBytesAreTheHttp2Preface) {
  StartServer();
  TlsClient http1(port(), ca(), "");
  ASSERT_TRUE(http1.connected());
  EXPECT_EQ(http1.alpn(), "");
  ASSERT_TRUE(http1.Write(kHealth));
  EXPECT_EQ(http1.Read(12).substr(0, 12), "HTTP/1.1 200");

  TlsClient http2(port(), ca(), "");
  ASSERT_TRUE(http2.connected());
  EXPECT_EQ(FirstFrameType(http2), 4);
}

TEST_F(TlsServerTest, PlaintextHttpIsAnsweredInPlaintextAndClosed) {
  StartServer();
  int sock = Connect(port());
  ASSERT_GE(sock, 0);
  const std::string request = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
  ASSERT_EQ(::send(sock, request.data(), request.size(), MSG_NOSIGNAL), static_cast<ssize_t>(request.size()));
  std::string answer;
  char buf[1024];
  ssize_t n;
  while ((n = ::recv(sock, buf, sizeof(buf), 0)) > 0) answer.append(buf, static_cast<size_t>(n));
  ::close(sock);
  EXPECT_EQ(answer.substr(0, 24), "HTTP/1.1 400 Bad Request");
  EXPECT_NE(answer.find("use https://"), std::string::npos);
  EXPECT_EQ(n, 0);  // closed by the server, not timed out

  // Garbage that is not HTTP either: the connection is closed.
  sock = Connect(port());
  ASSERT_EQ(::send(sock, "\x01\x02\x03garbage\r\n\r\n", 13, MSG_NOSIGNAL), 13);
  while ((n = ::recv(sock, buf, sizeof(buf), 0)) > 0) {
  }
  EXPECT_EQ(n, 0);
  ::close(sock);

  TlsClient after(port(), ca(), kHttp11Only);  // still serving
  ASSERT_TRUE(after.connected());
  ASSERT_TRUE(after.Write(kHealth));
  EXPECT_EQ(after.Read(12).substr(0, 12), "HTTP/1.1 200");
}

TEST_F(TlsServerTest, ClientThatNeverSaysHelloIsDisconnectedAfterTheIoTimeout) {
  StartServer(/*io_timeout_seconds=*/1);
  int sock = Connect(port());
  ASSERT_GE(sock, 0);
  const auto start = Clock::now();
  char buf[16];
  ssize_t n = ::recv(sock, buf, sizeof(buf), 0);
  const auto waited = Clock::now() - start;
  ::close(sock);
  EXPECT_EQ(n, 0);
  EXPECT_GE(waited, std::chrono::milliseconds(800));
  EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST_F(TlsServerTest, StopEndsOpenTlsConnectionsAtOnce) {
  StartServer();
  TlsClient idle_http1(port(), ca(), kHttp11Only);
  ASSERT_TRUE(idle_http1.connected());
  ASSERT_TRUE(idle_http1.Write(kHealth));
  ASSERT_FALSE(idle_http1.Read(12).empty());
  TlsClient idle_http2(port(), ca(), kH2AndHttp11);
  ASSERT_TRUE(idle_http2.connected());
  ASSERT_EQ(FirstFrameType(idle_http2), 4);
  int half_open = Connect(port());  // in the handshake
  const auto start = Clock::now();
  server_->Stop();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
  ::close(half_open);
}

}  // namespace
}  // namespace kemu
