#include "http/http1_connection.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "util/log.h"

namespace kemu {
namespace {

// A small body is copied next to the head and goes out in one write; a larger one is written after it.
constexpr size_t kCoalesceBodyBytes = 64 * 1024;
constexpr size_t kReadChunk = 64 * 1024;
// A buffer grown past this (a large body) is given back once the request is done.
constexpr size_t kKeepBufferBytes = 1024 * 1024;

const char* ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 417:
      return "Expectation Failed";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return status < 300 ? "OK" : status < 500 ? "Client Error" : "Server Error";
  }
}

void AppendStatusLine(int status, std::string& out) {
  char code[8];
  const auto [end, ec] = std::to_chars(code, code + sizeof(code), status);
  out.append("HTTP/1.1 ");
  out.append(code, static_cast<size_t>(end - code));
  out.push_back(' ');
  out.append(ReasonPhrase(status));
  out.append("\r\n");
}

void AppendHeader(std::string_view name, std::string_view value, std::string& out) {
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

}  // namespace

Http1Connection::Http1Connection(Transport& transport, const RequestHandler& handler, const std::atomic<bool>& closing,
                                 const std::atomic<size_t>& backlog, const Http1Limits& limits)
    : transport_(transport), handler_(handler), closing_(closing), backlog_(backlog), limits_(limits) {}

char* Http1Connection::InputBuffer::Prepare(size_t min_room, size_t* room) {
  if (capacity_ - end_ < min_room) {
    const size_t pending = end_ - begin_;
    if (begin_ > 0 && capacity_ - pending >= min_room) {
      std::memmove(data_.get(), data_.get() + begin_, pending);
    } else {
      const size_t capacity = std::max(capacity_ * 2, pending + min_room);
      std::unique_ptr<char[]> bigger(new char[capacity]);
      if (pending > 0) std::memcpy(bigger.get(), data_.get() + begin_, pending);
      data_ = std::move(bigger);
      capacity_ = capacity;
    }
    begin_ = 0;
    end_ = pending;
  }
  *room = capacity_ - end_;
  return data_.get() + end_;
}

void Http1Connection::InputBuffer::Compact(size_t keep_bytes) {
  if (begin_ == end_) {
    begin_ = end_ = 0;
    if (capacity_ > keep_bytes) {
      data_.reset();
      capacity_ = 0;
    }
  } else if (begin_ > 0) {
    std::memmove(data_.get(), data_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
}

bool Http1Connection::ReadMore() {
  size_t room = 0;
  char* to = in_.Prepare(kReadChunk, &room);
  const ssize_t n = transport_.Read(to, room, io_timeout_ms());
  if (n <= 0) return false;
  in_.Commit(static_cast<size_t>(n));
  return true;
}

bool Http1Connection::WaitForRequest() {
  // Under pressure an idle connection is closed after this grace, which spares a client between two requests.
  constexpr auto kIdleGraceUnderPressure = std::chrono::seconds(1);
  const auto idle_since = std::chrono::steady_clock::now();
  const auto deadline = idle_since + std::chrono::seconds(limits_.idle_seconds);
  while (!closing_.load(std::memory_order_acquire)) {
    if (transport_.WaitReadable(100)) return true;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return false;
    if (backlog_.load(std::memory_order_relaxed) > 0 && now - idle_since >= kIdleGraceUnderPressure) return false;
  }
  return false;
}

bool Http1Connection::PeerStillThere() {
  // A transport may hold small writes back until it next waits for the peer: this wait sends them.
  transport_.WaitReadable(0);
  pollfd p{transport_.socket(), POLLRDHUP, 0};
  return !(::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0);
}

void Http1Connection::Abort() { transport_.ResetOnClose(); }

void Http1Connection::Refuse(int status, const std::string& reason) {
  Log(LogLevel::kDebug, "HTTP/1.1 request refused (" + std::to_string(status) + "): " + reason);
  std::string answer;
  AppendStatusLine(status, answer);
  // 413 says it all; the others carry the reason in plain text.
  const std::string body = status == 413 ? std::string() : reason + "\r\n";
  if (!body.empty()) AppendHeader("Content-Type", "text/plain", answer);
  AppendHeader("Content-Length", std::to_string(body.size()), answer);
  AppendHeader("Connection", "close", answer);
  answer += "\r\n";
  answer += body;
  if (!Write(answer)) return;
  transport_.Shutdown();
  ::shutdown(transport_.socket(), SHUT_WR);
  // Closing with unread input would reset the connection under the answer.
  transport_.DrainInput(256 * 1024, 500);
}

bool Http1Connection::Write(std::string_view bytes) {
  return transport_.WriteAll(bytes.data(), bytes.size(), io_timeout_ms());
}

bool Http1Connection::SendContinue() { return Write("HTTP/1.1 100 Continue\r\n\r\n"); }

void Http1Connection::RefuseBodyTooLarge() {
  Refuse(413, "the body is larger than " + std::to_string(limits_.max_body_bytes) + " bytes");
}

bool Http1Connection::RefuseHeadTooLarge() {
  Refuse(400, "the request head is larger than " + std::to_string(limits_.max_head_bytes) + " bytes");
  return false;
}

bool Http1Connection::ReadBody(const Http1RequestHead& head, HttpRequest& request) {
  if (head.body == Http1RequestHead::Body::kLength) {
    const size_t length = head.content_length;
    if (length > limits_.max_body_bytes) {
      RefuseBodyTooLarge();
      return false;
    }
    if (in_.pending_size() < length) {
      if (head.expect_continue && !SendContinue()) return false;
      size_t room = 0;
      in_.Prepare(length - in_.pending_size(), &room);  // the whole body fits without growing again
      while (in_.pending_size() < length) {
        if (closing_.load(std::memory_order_acquire)) return false;
        if (!ReadMore()) {
          Refuse(400, "the body ended before the " + std::to_string(length) + " bytes Content-Length announced");
          return false;
        }
      }
    }
    request.body.assign(in_.pending().substr(0, length));
    in_.Consume(length);
    return true;
  }
  if (head.body == Http1RequestHead::Body::kChunked) {
    if (head.expect_continue && !SendContinue()) return false;
    ChunkedBodyDecoder decoder(limits_.max_body_bytes);
    while (true) {
      std::string_view pending = in_.pending();
      const size_t before = pending.size();
      const ChunkedBodyDecoder::Result result = decoder.Feed(pending, request.body);
      in_.Consume(before - pending.size());
      switch (result) {
        case ChunkedBodyDecoder::Result::kDone:
          return true;
        case ChunkedBodyDecoder::Result::kInvalid:
          Refuse(400, "malformed chunked body");
          return false;
        case ChunkedBodyDecoder::Result::kTooLarge:
          RefuseBodyTooLarge();
          return false;
        case ChunkedBodyDecoder::Result::kNeedMore:
          in_.Compact(kKeepBufferBytes);  // every byte was consumed
          if (closing_.load(std::memory_order_acquire)) return false;
          if (!ReadMore()) {
            Refuse(400, "the chunked body ended early");
            return false;
          }
          break;
      }
    }
  }
  return true;
}

bool Http1Connection::SendStream(ResponseStream& stream, bool chunked) {
  std::string bytes;
  std::string chunk;
  while (!closing_.load(std::memory_order_acquire)) {
    bytes.clear();
    const ResponseStream::State state = stream.Pull(bytes);
    if (!bytes.empty()) {
      if (chunked) {
        char size_line[24];
        const int n = std::snprintf(size_line, sizeof(size_line), "%zx\r\n", bytes.size());
        chunk.assign(size_line, static_cast<size_t>(n));
        chunk += bytes;
        chunk += "\r\n";
        if (!Write(chunk)) return false;
      } else if (!Write(bytes)) {
        return false;
      }
    }
    switch (state) {
      case ResponseStream::State::kMore:
        break;
      case ResponseStream::State::kEnd: {
        static constexpr std::string_view kLastChunk = "0\r\n\r\n";
        return chunked ? Write(kLastChunk) : true;
      }
      case ResponseStream::State::kReset:
      case ResponseStream::State::kResetConnection:
        transport_.WaitReadable(0);  // sends what a TLS transport held back, so the bytes precede the reset
        Abort();
        return false;
    }
    // Events go out now (not when a TLS transport next batches), and a client that hung up frees the producer
    // (a subscription's lease) at once.
    if (!PeerStillThere()) return false;
    if (bytes.empty()) stream.Wait(std::min(ResponseStream::kRepollMs, stream.PollWithin()));
  }
  return false;
}

bool Http1Connection::Respond(const Http1RequestHead& head, HttpResponse& response) {
  const bool head_only = head.request.method == "HEAD";
  // A body that ends with the connection rules out keeping it.
  const bool keep_alive = head.keep_alive && !(response.stream != nullptr && response.stream_ends_connection);
  out_.clear();
  AppendStatusLine(response.status, out_);
  for (const auto& [name, value] : response.headers) AppendHeader(name, value, out_);
  if (!response.content_type.empty()) AppendHeader("Content-Type", response.content_type, out_);
  if (keep_alive) {
    if (head.request.http_version == "1.0") AppendHeader("Connection", "keep-alive", out_);
    AppendHeader("Keep-Alive", "timeout=" + std::to_string(limits_.idle_seconds), out_);
  } else {
    AppendHeader("Connection", "close", out_);
  }
  if (response.stream != nullptr) {
    if (response.stream_length) {
      AppendHeader("Content-Length", std::to_string(*response.stream_length), out_);
    } else if (response.stream_ends_connection) {
      // Delimited by the close: no framing header, as HTTP/1.0 and 1.1 both allow.
    } else if (head_only || head.request.http_version == "1.0") {
      // Neither can carry a chunked stream: the head alone, then the connection ends.
      AppendHeader("Content-Length", "0", out_);
      out_ += "\r\n";
      Write(out_);
      return false;
    } else {
      AppendHeader("Transfer-Encoding", "chunked", out_);
    }
    out_ += "\r\n";
    if (!Write(out_)) return false;
    if (head_only) return keep_alive;
    const bool chunked = !response.stream_length && !response.stream_ends_connection;
    return SendStream(*response.stream, chunked) && keep_alive;
  }
  const bool no_body = response.status == 204 || response.status == 304 || response.status < 200;
  if (!no_body) AppendHeader("Content-Length", std::to_string(response.body.size()), out_);
  out_ += "\r\n";
  if (no_body || head_only) return Write(out_);
  if (response.body.size() <= kCoalesceBodyBytes) {
    out_ += response.body;
    return Write(out_);
  }
  return Write(out_) && Write(response.body);
}

bool Http1Connection::Serve() {
  while (!closing_.load(std::memory_order_acquire)) {
    // Drop what earlier requests consumed; give back a buffer a large body grew.
    in_.Compact(kKeepBufferBytes);
    if (in_.pending_size() == 0) {
      // Clients that wait for each answer (every SDK) have rarely sent the next request yet, so waiting first
      // costs one call less than a read that finds nothing.
      if (!WaitForRequest()) return true;
      if (!ReadMore()) return true;  // the peer closed, or a read failed
    }

    Http1RequestHead head;
    size_t head_size = 0;
    Http1ParseError error;
    Http1ParseResult parsed;
    while ((parsed = ParseHttp1RequestHead(in_.pending(), &head, &head_size, &error)) ==
           Http1ParseResult::kIncomplete) {
      if (in_.pending_size() > limits_.max_head_bytes) return RefuseHeadTooLarge();
      if (closing_.load(std::memory_order_acquire)) return false;
      if (!ReadMore()) {
        Refuse(400, "the request head ended early or stalled");
        return false;
      }
    }
    if (parsed == Http1ParseResult::kInvalid) {
      Refuse(error.status, error.reason);
      return false;
    }
    if (head_size > limits_.max_head_bytes) return RefuseHeadTooLarge();
    in_.Consume(head_size);
    HttpRequest& request = head.request;
    if (!ReadBody(head, request)) return false;

    // HEAD is answered as GET without the body.
    const bool head_only = request.method == "HEAD";
    if (head_only) request.method = "GET";
    HttpResponse response = handler_(request);
    if (head_only) request.method = "HEAD";
    if (response.wire.drop) {
      Abort();
      return true;
    }
    if (!Respond(head, response)) return false;
    if (!head.keep_alive) return true;
  }
  return true;
}

}  // namespace kemu
