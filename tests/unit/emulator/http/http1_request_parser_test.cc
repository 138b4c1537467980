#include "http/http1_request_parser.h"

#include <gtest/gtest.h>

#include <string>

namespace kemu {
namespace {

struct Parsed {
  Http1ParseResult result;
  Http1RequestHead head;
  size_t size = 0;
  Http1ParseError error;
};

Parsed Parse(std::string_view bytes) {
  Parsed p;
  p.result = ParseHttp1RequestHead(bytes, &p.head, &p.size, &p.error);
  return p;
}

TEST(Http1RequestParserTest, ParsesAKinesisRequestHead) {
  const std::string head =
      "POST / HTTP/1.1\r\nHost: localhost:4567\r\nX-Amz-Target: Kinesis_20131202.ListStreams\r\n"
      "Content-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\n\r\n";
  Parsed p = Parse(head + "{}");
  ASSERT_EQ(p.result, Http1ParseResult::kComplete);
  EXPECT_EQ(p.size, head.size());
  EXPECT_EQ(p.head.request.method, "POST");
  EXPECT_EQ(p.head.request.path, "/");
  EXPECT_EQ(p.head.request.http_version, "1.1");
  EXPECT_EQ(p.head.request.Header("x-amz-target"), "Kinesis_20131202.ListStreams");
  EXPECT_EQ(p.head.body, Http1RequestHead::Body::kLength);
  EXPECT_EQ(p.head.content_length, 2u);
  EXPECT_TRUE(p.head.keep_alive);
  EXPECT_FALSE(p.head.expect_continue);
}

TEST(Http1RequestParserTest, IncompleteUntilTheEmptyLine) {
  const std::string head = "GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n";
  for (size_t n = 0; n < head.size(); ++n) {
    Parsed p = Parse(std::string_view(head).substr(0, n));
    EXPECT_EQ(p.result, Http1ParseResult::kIncomplete) << n;
  }
  EXPECT_EQ(Parse(head).result, Http1ParseResult::kComplete);
}

TEST(Http1RequestParserTest, BareLineFeedsAndLeadingEmptyLines) {
  Parsed p = Parse("\r\nGET /x?a=1 HTTP/1.1\nHost: x\n\nrest");
  ASSERT_EQ(p.result, Http1ParseResult::kComplete);
  EXPECT_EQ(p.head.request.path, "/x");
  EXPECT_EQ(p.head.request.query.at("a"), "1");
  EXPECT_EQ(p.head.body, Http1RequestHead::Body::kNone);
  EXPECT_EQ(std::string_view("\r\nGET /x?a=1 HTTP/1.1\nHost: x\n\nrest").substr(p.size), "rest");
}

TEST(Http1RequestParserTest, HeaderValuesAreTrimmedAndRepeatsJoined) {
  Parsed p = Parse("GET / HTTP/1.1\r\nX-A:  one \t\r\nx-a: two\r\n\r\n");
  ASSERT_EQ(p.result, Http1ParseResult::kComplete);
  EXPECT_EQ(p.head.request.Header("X-A"), "one, two");
}

TEST(Http1RequestParserTest, ConnectionSemantics) {
  EXPECT_FALSE(Parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").head.keep_alive);
  EXPECT_FALSE(Parse("GET / HTTP/1.1\r\nConnection: foo, Close\r\n\r\n").head.keep_alive);
  Parsed old = Parse("GET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(old.head.request.http_version, "1.0");
  EXPECT_FALSE(old.head.keep_alive);
  EXPECT_TRUE(Parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").head.keep_alive);
}

TEST(Http1RequestParserTest, ExpectContinueOnlyWithABody) {
  EXPECT_TRUE(Parse("POST / HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n").head.expect_continue);
  EXPECT_FALSE(Parse("POST / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n").head.expect_continue);
  Parsed other = Parse("POST / HTTP/1.1\r\nContent-Length: 5\r\nExpect: something\r\n\r\n");
  EXPECT_EQ(other.result, Http1ParseResult::kInvalid);
  EXPECT_EQ(other.error.status, 417);
}

TEST(Http1RequestParserTest, ChunkedFraming) {
  Parsed p = Parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
  ASSERT_EQ(p.result, Http1ParseResult::kComplete);
  EXPECT_EQ(p.head.body, Http1RequestHead::Body::kChunked);
  Parsed gzip = Parse("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n");
  EXPECT_EQ(gzip.result, Http1ParseResult::kInvalid);
  EXPECT_EQ(gzip.error.status, 501);
}

TEST(Http1RequestParserTest, RefusesAmbiguousFraming) {
  const char* bad[] = {
      "POST / HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: \r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length : 2\r\n\r\n",
      "POST / HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n",
      "POST / HTTP/1.1\r\nNoColon\r\n\r\n",
      "POST / HTTP/1.1\r\n: empty name\r\n\r\n",
      "POST / HTTP/1.1\r\nX-A: a\x01b\r\n\r\n",
  };
  for (const char* head : bad) {
    Parsed p = Parse(head);
    EXPECT_EQ(p.result, Http1ParseResult::kInvalid) << head;
    EXPECT_EQ(p.error.status, 400) << head;
  }
  // The same Content-Length twice is one length.
  Parsed same = Parse("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n");
  EXPECT_EQ(same.result, Http1ParseResult::kComplete);
  EXPECT_EQ(same.head.content_length, 2u);
}

TEST(Http1RequestParserTest, RequestLineErrors) {
  EXPECT_EQ(Parse("GARBAGE\r\n\r\n").error.status, 400);
  EXPECT_EQ(Parse("GET /\r\n\r\n").error.status, 400);
  EXPECT_EQ(Parse("GET  / HTTP/1.1\r\n\r\n").error.status, 400);
  EXPECT_EQ(Parse("GET / HTTP/1.1 extra\r\n\r\n").error.status, 400);
  EXPECT_EQ(Parse("GET / HTTX/1.1\r\n\r\n").error.status, 400);
  EXPECT_EQ(Parse("G(T / HTTP/1.1\r\n\r\n").error.status, 400);
  EXPECT_EQ(Parse("GET /\x7f HTTP/1.1\r\n\r\n").error.status, 400);
  EXPECT_EQ(Parse("GET / HTTP/2.0\r\n\r\n").error.status, 505);
  // Garbage is refused before the head ends, so a client cannot make the server wait for it.
  EXPECT_EQ(Parse("\x16\x03\x01\x02").result, Http1ParseResult::kInvalid);
  EXPECT_EQ(Parse("GET /aaaa").result, Http1ParseResult::kIncomplete);
}

std::string DecodeInPieces(std::string_view encoded, size_t piece, ChunkedBodyDecoder::Result* result,
                           size_t* left_over, size_t max = 1 << 20) {
  ChunkedBodyDecoder decoder(max);
  std::string body;
  *result = ChunkedBodyDecoder::Result::kNeedMore;
  size_t pos = 0;
  while (pos < encoded.size()) {
    std::string_view in = encoded.substr(pos, piece);
    const size_t before = in.size();
    *result = decoder.Feed(in, body);
    pos += before - in.size();
    if (*result != ChunkedBodyDecoder::Result::kNeedMore) break;
  }
  *left_over = encoded.size() - pos;
  return body;
}

TEST(Http1RequestParserTest, ChunkedBodyInEveryPieceSize) {
  const std::string encoded = "5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: x\r\n\r\nNEXT";
  for (size_t piece = 1; piece <= encoded.size(); ++piece) {
    ChunkedBodyDecoder::Result result;
    size_t left = 0;
    EXPECT_EQ(DecodeInPieces(encoded, piece, &result, &left), "helloabcdefghijklmnopqrstuvwxyz") << piece;
    EXPECT_EQ(result, ChunkedBodyDecoder::Result::kDone) << piece;
    EXPECT_EQ(left, 4u) << piece;  // "NEXT" belongs to the next request
  }
}

TEST(Http1RequestParserTest, ChunkedBodyErrors) {
  ChunkedBodyDecoder::Result result;
  size_t left = 0;
  DecodeInPieces("zz\r\n", 100, &result, &left);
  EXPECT_EQ(result, ChunkedBodyDecoder::Result::kInvalid);
  DecodeInPieces("3\r\nabcX\r\n0\r\n\r\n", 100, &result, &left);
  EXPECT_EQ(result, ChunkedBodyDecoder::Result::kInvalid);
  DecodeInPieces("\r\n", 100, &result, &left);
  EXPECT_EQ(result, ChunkedBodyDecoder::Result::kInvalid);
  DecodeInPieces("10\r\n0123456789abcdef\r\n0\r\n\r\n", 100, &result, &left, /*max=*/15);
  EXPECT_EQ(result, ChunkedBodyDecoder::Result::kTooLarge);
  DecodeInPieces("ffffffffffffffff\r\n", 100, &result, &left);
  EXPECT_EQ(result, ChunkedBodyDecoder::Result::kInvalid);
  DecodeInPieces("3\r\nabc\r\n", 100, &result, &left);
  EXPECT_EQ(result, ChunkedBodyDecoder::Result::kNeedMore);
}

}  // namespace
}  // namespace kemu
