// Http1Connection over a socket pair: the test writes raw bytes on one end and reads what the server answers.
#include "http/http1_connection.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kemu {
namespace {

// A ResponseStream that yields the given pieces, one per Pull, then ends.
class PiecesStream final : public ResponseStream {
 public:
  explicit PiecesStream(std::vector<std::string> pieces) : pieces_(std::move(pieces)) {}
  State Pull(std::string& out) override {
    if (next_ < pieces_.size()) out += pieces_[next_++];
    return next_ < pieces_.size() ? State::kMore : State::kEnd;
  }
  void Wait(std::chrono::milliseconds) override {}
  void SetWaker(std::function<void()>) override {}

 private:
  std::vector<std::string> pieces_;
  size_t next_ = 0;
};

class Http1ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int fds[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    client_ = fds[0];
    server_ = fds[1];
  }
  void TearDown() override {
    closing_ = true;
    if (client_ >= 0) ::shutdown(client_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    if (client_ >= 0) ::close(client_);
    ::close(server_);
  }

  // Serves the server end on a thread with these limits.
  void Start(Http1Limits limits = Http1Limits()) {
    limits_ = limits;
    thread_ = std::thread([this] {
      PlainTransport transport(server_);
      served_ok_ = Http1Connection(transport, handler_, closing_, backlog_, limits_).Serve();
      ::shutdown(server_, SHUT_RDWR);
    });
  }

  void Send(std::string_view bytes) {
    ASSERT_EQ(::send(client_, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }

  // Everything the server sends until it closes (or `timeout_ms` without a byte).
  std::string ReadUntilClosed(int timeout_ms = 5000) {
    std::string all;
    char buf[65536];
    while (true) {
      pollfd p{client_, POLLIN, 0};
      if (::poll(&p, 1, timeout_ms) <= 0) break;
      ssize_t n = ::recv(client_, buf, sizeof(buf), 0);
      if (n <= 0) break;
      all.append(buf, static_cast<size_t>(n));
    }
    return all;
  }

  // Reads until `count` occurrences of `marker` arrived (or 5 s pass).
  std::string ReadUntil(std::string_view marker, int count = 1) {
    std::string all;
    char buf[65536];
    auto found = [&] {
      int seen = 0;
      for (size_t pos = all.find(marker); pos != std::string::npos; pos = all.find(marker, pos + 1)) ++seen;
      return seen >= count;
    };
    while (!found()) {
      pollfd p{client_, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) break;
      ssize_t n = ::recv(client_, buf, sizeof(buf), 0);
      if (n <= 0) break;
      all.append(buf, static_cast<size_t>(n));
    }
    return all;
  }

  static int Count(const std::string& text, std::string_view what) {
    int n = 0;
    for (size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
    return n;
  }

  int client_ = -1;
  int server_ = -1;
  std::atomic<bool> closing_{false};
  std::atomic<size_t> backlog_{0};
  Http1Limits limits_;
  std::atomic<bool> served_ok_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<HttpRequest> seen_;
  RequestHandler handler_ = [this](const HttpRequest& req) {
    {
      std::lock_guard lock(mu_);
      seen_.push_back(req);
    }
    HttpResponse res;
    res.content_type = "text/plain";
    res.headers.emplace_back("X-Echo-Method", req.method);
    res.body = "body:" + req.body;
    return res;
  };
};

TEST_F(Http1ConnectionTest, KeepAliveServesRequestsInTurn) {
  Start();
  Send("POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\none");
  std::string first = ReadUntil("body:one");
  EXPECT_EQ(first.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << first;
  EXPECT_NE(first.find("Content-Length: 8\r\n"), std::string::npos) << first;
  EXPECT_NE(first.find("Keep-Alive: timeout=120\r\n"), std::string::npos) << first;
  EXPECT_NE(first.find("X-Echo-Method: POST\r\n"), std::string::npos) << first;
  Send("POST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\ntwo");
  EXPECT_NE(ReadUntil("body:two").find("body:two"), std::string::npos);
  std::lock_guard lock(mu_);
  ASSERT_EQ(seen_.size(), 2u);
  EXPECT_EQ(seen_[1].path, "/b");
}

TEST_F(Http1ConnectionTest, PipelinedRequestsAreAnsweredInOrder) {
  Start();
  Send(
      "POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\n1POST / HTTP/1.1\r\nContent-Length: 1\r\n\r\n2"
      "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
  std::string all = ReadUntilClosed();
  const size_t one = all.find("body:1");
  const size_t two = all.find("body:2");
  const size_t three = all.find("Connection: close");
  ASSERT_NE(one, std::string::npos) << all;
  ASSERT_NE(two, std::string::npos) << all;
  ASSERT_NE(three, std::string::npos) << all;
  EXPECT_LT(one, two);
  EXPECT_LT(two, three);
  EXPECT_EQ(Count(all, "HTTP/1.1 200 OK"), 3);
}

TEST_F(Http1ConnectionTest, ChunkedRequestBody) {
  Start();
  Send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
  Send("2\r\nde\r\n0\r\n\r\n");
  EXPECT_NE(ReadUntil("body:abcde").find("body:abcde"), std::string::npos);
}

TEST_F(Http1ConnectionTest, ExpectContinueGetsAnInterimAnswer) {
  Start();
  Send("POST / HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  std::string interim = ReadUntil("\r\n\r\n");
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  Send("data");
  EXPECT_NE(ReadUntil("body:data").find("HTTP/1.1 200 OK"), std::string::npos);
}

TEST_F(Http1ConnectionTest, BodyOverTheCapIsRefusedUnread) {
  Http1Limits limits;
  limits.max_body_bytes = 100;
  Start(limits);
  Send("POST / HTTP/1.1\r\nContent-Length: 101\r\nExpect: 100-continue\r\n\r\n");
  std::string all = ReadUntilClosed();
  EXPECT_EQ(all.rfind("HTTP/1.1 413 Payload Too Large\r\n", 0), 0u) << all;
  EXPECT_EQ(all.find("100 Continue"), std::string::npos) << all;
  EXPECT_NE(all.find("Content-Length: 0\r\n"), std::string::npos) << all;
  EXPECT_TRUE(seen_.empty());
}

TEST_F(Http1ConnectionTest, ChunkedBodyOverTheCapIsRefused) {
  Http1Limits limits;
  limits.max_body_bytes = 4;
  Start(limits);
  Send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n");
  EXPECT_EQ(ReadUntilClosed().rfind("HTTP/1.1 413 ", 0), 0u);
}

TEST_F(Http1ConnectionTest, BadRequestIsAnsweredOnceAndClosed) {
  Start();
  Send("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}GARBAGE\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  std::string all = ReadUntilClosed();
  EXPECT_EQ(Count(all, "HTTP/1.1 200 OK"), 1) << all;
  EXPECT_EQ(Count(all, "HTTP/1.1 400 Bad Request"), 1) << all;
  thread_.join();
  EXPECT_FALSE(served_ok_);
}

TEST_F(Http1ConnectionTest, HeadLargerThanTheLimitIsRefused) {
  Http1Limits limits;
  limits.max_head_bytes = 1024;
  Start(limits);
  Send("GET / HTTP/1.1\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
  EXPECT_EQ(ReadUntilClosed().rfind("HTTP/1.1 400 ", 0), 0u);
}

TEST_F(Http1ConnectionTest, StalledBodyTimesOutWith400) {
  Http1Limits limits;
  limits.io_timeout_seconds = 1;
  Start(limits);
  const auto start = std::chrono::steady_clock::now();
  Send("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
  std::string all = ReadUntilClosed(5000);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(all.rfind("HTTP/1.1 400 ", 0), 0u) << all;
  EXPECT_GE(took, std::chrono::milliseconds(900));
  EXPECT_LT(took, std::chrono::seconds(4));
}

TEST_F(Http1ConnectionTest, HeadAnswersWithoutABody) {
  Start();
  Send("HEAD /x HTTP/1.1\r\n\r\nGET /y HTTP/1.1\r\nConnection: close\r\n\r\n");
  std::string all = ReadUntilClosed();
  // The HEAD answer announces the GET body's length but carries none: the next answer follows its head at once.
  EXPECT_EQ(all.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << all;
  const size_t second = all.find("HTTP/1.1 200 OK\r\n", 1);
  ASSERT_NE(second, std::string::npos) << all;
  EXPECT_EQ(all.substr(second - 4, 4), "\r\n\r\n") << all;
  EXPECT_EQ(Count(all, "body:"), 1) << all;
  std::lock_guard lock(mu_);
  ASSERT_EQ(seen_.size(), 2u);
  EXPECT_EQ(seen_[0].method, "GET");  // HEAD is handled as GET
}

TEST_F(Http1ConnectionTest, Http10ClosesUnlessKeepAlive) {
  Start();
  Send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  std::string first = ReadUntil("body:");
  EXPECT_NE(first.find("Connection: keep-alive\r\n"), std::string::npos) << first;
  Send("GET / HTTP/1.0\r\n\r\n");
  std::string rest = ReadUntilClosed();
  EXPECT_NE(rest.find("Connection: close\r\n"), std::string::npos) << rest;
}

TEST_F(Http1ConnectionTest, StreamingAnswerIsChunked) {
  handler_ = [](const HttpRequest&) {
    HttpResponse res;
    res.content_type = "application/vnd.amazon.eventstream";
    res.stream = std::make_shared<PiecesStream>(std::vector<std::string>{"hello", "", "world!"});
    return res;
  };
  Start();
  Send("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  std::string all = ReadUntil("0\r\n\r\n");
  EXPECT_NE(all.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << all;
  EXPECT_EQ(all.find("Content-Length"), std::string::npos) << all;
  EXPECT_NE(all.find("\r\n\r\n5\r\nhello\r\n6\r\nworld!\r\n0\r\n\r\n"), std::string::npos) << all;
}

TEST_F(Http1ConnectionTest, StreamOfKnownLengthIsSentRawWithContentLength) {
  handler_ = [](const HttpRequest&) {
    HttpResponse res;
    res.stream = std::make_shared<PiecesStream>(std::vector<std::string>{"hel", "", "lo"});
    res.stream_length = 5;
    return res;
  };
  Start();
  Send("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  std::string all = ReadUntil("hello", 2);
  EXPECT_NE(all.find("Content-Length: 5\r\n"), std::string::npos) << all;
  EXPECT_EQ(all.find("chunked"), std::string::npos) << all;
  EXPECT_NE(all.find("\r\n\r\nhello"), std::string::npos) << all;
  EXPECT_NE(all.find("Keep-Alive"), std::string::npos) << all;  // the connection serves the second request
}

// A body delimited by the connection's close (a slow-close fault): no framing header, then the close, even when
// keep-alive was asked for; HTTP/1.0 and 1.1 alike.
TEST_F(Http1ConnectionTest, StreamEndingWithTheConnectionHasNoFramingAndCloses) {
  handler_ = [](const HttpRequest&) {
    HttpResponse res;
    res.stream = std::make_shared<PiecesStream>(std::vector<std::string>{"until", "-", "close"});
    res.stream_ends_connection = true;
    return res;
  };
  Start();
  Send("POST / HTTP/1.1\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
  std::string all = ReadUntilClosed();
  EXPECT_NE(all.find("Connection: close\r\n"), std::string::npos) << all;
  EXPECT_EQ(all.find("Content-Length"), std::string::npos) << all;
  EXPECT_EQ(all.find("chunked"), std::string::npos) << all;
  EXPECT_TRUE(all.size() > 13 && all.compare(all.size() - 13, 13, "\r\nuntil-close") == 0) << all;
}

TEST_F(Http1ConnectionTest, StreamEndingWithTheConnectionWorksForHttp10) {
  handler_ = [](const HttpRequest&) {
    HttpResponse res;
    res.stream = std::make_shared<PiecesStream>(std::vector<std::string>{"old", "-", "client"});
    res.stream_ends_connection = true;
    return res;
  };
  Start();
  Send("POST / HTTP/1.0\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
  std::string all = ReadUntilClosed();
  EXPECT_EQ(all.find("Content-Length"), std::string::npos) << all;
  EXPECT_TRUE(all.size() > 12 && all.compare(all.size() - 12, 12, "\r\nold-client") == 0) << all;
}

TEST_F(Http1ConnectionTest, DropConnectionResetsWithoutAnAnswer) {
  handler_ = [](const HttpRequest&) {
    HttpResponse res;
    res.wire.drop = true;
    return res;
  };
  Start();
  Send("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(ReadUntilClosed(), "");
}

TEST_F(Http1ConnectionTest, ClosingEndsAnIdleConnection) {
  Start();
  Send("GET / HTTP/1.1\r\n\r\n");
  ReadUntil("body:");
  const auto start = std::chrono::steady_clock::now();
  closing_ = true;
  thread_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST_F(Http1ConnectionTest, IdleConnectionGivesItsThreadUpUnderPressure) {
  Start();
  Send("GET / HTTP/1.1\r\n\r\n");
  ReadUntil("body:");
  backlog_ = 1;
  const auto start = std::chrono::steady_clock::now();
  thread_.join();
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(800));
  EXPECT_LT(took, std::chrono::seconds(3));
}

}  // namespace
}  // namespace kemu
