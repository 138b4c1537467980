// Fuzz target: the HTTP/1.1 request parser (head and chunked bodies), which reads bytes from any client.
//
// 1. Head: whatever ParseHttp1RequestHead accepts must have used no more bytes than it was given, parse the same
//    way from exactly those bytes, and keep its framing consistent (a length only with Body::kLength).
// 2. Chunked body: the bytes after the head are decoded once whole and once fed in pieces (sizes taken from the
//    input's first byte); both must give the same result, body and bytes used, and the body must respect the cap.
// A crash, a sanitizer report or a broken property is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/http1_request_parser.h"

namespace {

using kemu::ChunkedBodyDecoder;

struct Decoded {
  ChunkedBodyDecoder::Result result = ChunkedBodyDecoder::Result::kNeedMore;
  std::string body;
  size_t used = 0;
};

Decoded Decode(std::string_view bytes, size_t piece, size_t cap) {
  ChunkedBodyDecoder decoder(cap);
  Decoded d;
  while (d.used < bytes.size()) {
    std::string_view in = bytes.substr(d.used, piece);
    const size_t before = in.size();
    d.result = decoder.Feed(in, d.body);
    d.used += before - in.size();
    if (d.result != ChunkedBodyDecoder::Result::kNeedMore) break;
  }
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 17;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  kemu::Http1RequestHead head;
  size_t head_size = 0;
  kemu::Http1ParseError error;
  const auto result = kemu::ParseHttp1RequestHead(bytes, &head, &head_size, &error);
  if (result == kemu::Http1ParseResult::kInvalid && (error.status < 400 || error.status > 599)) __builtin_trap();
  if (result != kemu::Http1ParseResult::kComplete) return 0;
  if (head_size == 0 || head_size > bytes.size()) __builtin_trap();
  if (head.body != kemu::Http1RequestHead::Body::kLength && head.body != kemu::Http1RequestHead::Body::kChunked &&
      head.expect_continue) {
    __builtin_trap();
  }
  {
    kemu::Http1RequestHead again;
    size_t again_size = 0;
    if (kemu::ParseHttp1RequestHead(bytes.substr(0, head_size), &again, &again_size, &error) !=
            kemu::Http1ParseResult::kComplete ||
        again_size != head_size || again.request.method != head.request.method ||
        again.request.headers != head.request.headers || again.content_length != head.content_length) {
      __builtin_trap();
    }
  }

  const std::string_view rest = bytes.substr(head_size);
  constexpr size_t kCap = 4096;
  const Decoded whole = Decode(rest, rest.size() + 1, kCap);
  const Decoded pieces = Decode(rest, piece, kCap);
  if (whole.result != pieces.result || whole.body != pieces.body || whole.used != pieces.used) __builtin_trap();
  if (whole.body.size() > kCap) __builtin_trap();
  return 0;
}
