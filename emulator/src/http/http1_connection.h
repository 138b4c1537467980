// Http1Connection: one HTTP/1.1 (or 1.0) connection, served with keep-alive on its own thread.
//
// ConnectionServer hands a connection's Transport here when it is not HTTP/2. The connection is read into one
// buffer and parsed in place (http1_request_parser.h); each complete request goes to the handler, and the answer
// goes back in one write (head and body together when the body is small). Pipelined requests are answered in
// order. Expect: 100-continue is honoured; a body over the cap is refused with 413 before it is read; a request
// head may not grow past max_head_bytes; a request that stalls past the I/O timeout is answered 400. After any
// error the connection is closed, since what follows cannot be trusted to start a request. A streaming answer
// (HttpResponse::stream) is sent chunked from this thread, and its producer is let go as soon as the peer hangs up.
//
// Between requests the connection waits up to idle_seconds; while other connections wait for a thread
// (`backlog` > 0) it gives its thread up after one idle second.
//
// Thread-safety: one thread serves one connection; Serve() returns when the connection is over. `closing` and
// `backlog` are read from other threads' writes.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "http/http1_request_parser.h"
#include "http/http2_connection.h"
#include "http/http_types.h"
#include "http/transport.h"

namespace kemu {

struct Http1Limits {
  int idle_seconds = 120;
  int io_timeout_seconds = 30;
  size_t max_body_bytes = 16 * 1024 * 1024;
  size_t max_head_bytes = 64 * 1024;  // request line and header fields
};

class Http1Connection {
 public:
  Http1Connection(Transport& transport, const RequestHandler& handler, const std::atomic<bool>& closing,
                  const std::atomic<size_t>& backlog, const Http1Limits& limits);
  // Serves until the connection ends. Returns false when it ended on an error (bad request, timeout, I/O).
  bool Serve();

 private:
  // Reads what the peer has sent (waiting up to the I/O timeout for it) onto the end of the buffer.
  bool ReadMore();
  // Writes all of `bytes` within the I/O timeout.
  bool Write(std::string_view bytes);
  // The interim answer to Expect: 100-continue.
  bool SendContinue();
  void RefuseBodyTooLarge();
  // Refuses a head over max_head_bytes; returns false (the connection ends).
  bool RefuseHeadTooLarge();
  int io_timeout_ms() const { return limits_.io_timeout_seconds * 1000; }
  // Waits for the next request, as the idle rules above allow; true when bytes are there.
  bool WaitForRequest();
  // Reads the body the head announced into `request.body`. On failure, answers and returns false.
  bool ReadBody(const Http1RequestHead& head, HttpRequest& request);
  bool Respond(const Http1RequestHead& head, HttpResponse& response);
  // Sends a streamed body: chunked, or as it comes (`chunked` false: a known length, or until the close).
  bool SendStream(ResponseStream& stream, bool chunked);
  // Answers an unusable request and ends the connection politely (a short drain, so the answer is not lost to
  // a reset).
  void Refuse(int status, const std::string& reason);
  // True while the peer has not hung up (checked without reading).
  bool PeerStillThere();
  // Closes with a TCP reset, without an answer (the connection-reset fault).
  void Abort();

  // The bytes received and not yet consumed. Grows without zero-filling (a read writes the new bytes at once).
  class InputBuffer {
   public:
    std::string_view pending() const { return {data_.get() + begin_, end_ - begin_}; }
    size_t pending_size() const { return end_ - begin_; }
    void Consume(size_t n) { begin_ += n; }
    // Room for at least `min_room` more bytes after the pending ones; returns where they go and how many fit.
    char* Prepare(size_t min_room, size_t* room);
    void Commit(size_t n) { end_ += n; }
    // Moves the pending bytes to the front; gives back a buffer grown past `keep_bytes` once nothing is pending.
    void Compact(size_t keep_bytes);

   private:
    std::unique_ptr<char[]> data_;
    size_t capacity_ = 0;
    size_t begin_ = 0;
    size_t end_ = 0;
  };

  Transport& transport_;
  const RequestHandler& handler_;
  const std::atomic<bool>& closing_;
  const std::atomic<size_t>& backlog_;
  const Http1Limits limits_;
  InputBuffer in_;
  std::string out_;  // the answer being written, kept to reuse its capacity
};

}  // namespace kemu
