// HTTP/1.1 request parsing: the head (request line and header fields) and chunked request bodies.
//
// Written for a server that reads a connection into a buffer and parses in place: ParseHttp1RequestHead looks
// at the bytes received so far and says whether a whole head is there, what it asks for, or why it is invalid
// (with the status to answer). Framing follows RFC 9112: a body is announced by Content-Length or by
// Transfer-Encoding ending in "chunked"; a request with neither has no body. Anything that could make two
// parsers disagree about where a request ends (both framings, conflicting or malformed lengths, obsolete line
// folding, white space before a colon, another transfer coding) is refused with a 400 (501 for an unknown
// coding), and the connection must then be closed.
//
// Thread-safety: stateless functions; a ChunkedBodyDecoder belongs to one request.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "http/http_types.h"

namespace kemu {

struct Http1RequestHead {
  enum class Body { kNone, kLength, kChunked };

  HttpRequest request;  // method, path, query, headers and http_version ("1.1" or "1.0"); no body yet
  Body body = Body::kNone;
  size_t content_length = 0;     // with Body::kLength
  bool keep_alive = true;        // false: close the connection after answering (Connection: close, or HTTP/1.0)
  bool expect_continue = false;  // the client waits for "100 Continue" before it sends the body
};

struct Http1ParseError {
  int status = 400;
  std::string reason;  // for the log and the plain-text answer
};

enum class Http1ParseResult { kIncomplete, kComplete, kInvalid };

// Parses the request head at the start of `bytes`. kComplete: `head` is filled and `head_size` says how many
// bytes it took (the body, if any, starts there). kIncomplete: the empty line that ends the head has not arrived
// (the caller bounds how long it lets a head grow). kInvalid: `error` says what to answer.
Http1ParseResult ParseHttp1RequestHead(std::string_view bytes, Http1RequestHead* head, size_t* head_size,
                                       Http1ParseError* error);

// Decodes a chunked request body as its bytes arrive. Chunk extensions and trailer fields are read and dropped.
class ChunkedBodyDecoder {
 public:
  enum class Result { kNeedMore, kDone, kInvalid, kTooLarge };

  explicit ChunkedBodyDecoder(size_t max_body_bytes) : max_body_bytes_(max_body_bytes) {}

  // Consumes what it can from the front of `in` (which it advances), appending payload bytes to `body`.
  // kNeedMore: every byte of `in` was used and more are needed.
  Result Feed(std::string_view& in, std::string& body);

 private:
  enum class State { kSize, kData, kDataEnd, kTrailer, kDone };
  // Takes one line (without its CRLF) off the front of `in` into `line`; false when no line end is there yet.
  bool TakeLine(std::string_view& in, std::string_view* line);

  const size_t max_body_bytes_;
  State state_ = State::kSize;
  size_t chunk_left_ = 0;
  std::string partial_line_;  // a size or trailer line split across reads
};

}  // namespace kemu
