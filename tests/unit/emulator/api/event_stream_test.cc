#include "api/event_stream.h"

#include <gtest/gtest.h>

#include <string>

namespace kemu::api {
namespace {

std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string Unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

// The initial-response frame of the spec (§3.10), CRC-checked there with zlib.
const std::string kInitialResponseHex =
    "00000068"
    "00000056"
    "4e681724"
    "0d3a6d6573736167652d74797065"
    "07"
    "0005"
    "6576656e74"
    "0b3a6576656e742d74797065"
    "07"
    "0010"
    "696e697469616c2d726573706f6e7365"
    "0d3a636f6e74656e742d74797065"
    "07"
    "0010"
    "6170706c69636174696f6e2f6a736f6e"
    "7b7d"
    "fe942c1d";

TEST(Crc32Test, KnownValues) {
  EXPECT_EQ(Crc32(""), 0u);
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);  // the standard check value of CRC-32/IEEE
  EXPECT_EQ(Crc32("a"), 0xE8B7BE43u);
  // Continuing a CRC equals computing it over the concatenation.
  EXPECT_EQ(Crc32("6789", Crc32("12345")), 0xCBF43926u);
}

TEST(EventStreamTest, InitialResponseMatchesHandCheckedBytes) {
  std::string out;
  AppendEventMessage("initial-response", "application/json", "{}", out);
  EXPECT_EQ(Hex(out), kInitialResponseHex);
  EXPECT_EQ(out.size(), 104u);
}

TEST(EventStreamTest, EmptyMessageBytes) {
  // No headers, no payload: 16 bytes; prelude CRC of 00000010 00000000 and message CRC by hand-checked zlib.
  std::string out;
  EncodeEventStreamMessage({}, "", out);
  EXPECT_EQ(Hex(out.substr(0, 8)), "0000001000000000");
  EXPECT_EQ(Hex(out.substr(8, 4)), "05c248eb");
  EXPECT_EQ(Hex(out.substr(12, 4)), "7d98c8ff");
}

TEST(EventStreamTest, RoundTrip) {
  std::string out;
  AppendEventMessage("SubscribeToShardEvent", "application/json", R"({"Records":[]})", out);
  AppendExceptionMessage("KMSThrottlingException", "application/x-amz-cbor-1.1", std::string("\xa0", 1), out);
  std::string error;
  auto first = DecodeEventStreamMessage(out, &error);
  ASSERT_TRUE(first.has_value()) << error;
  EXPECT_EQ(first->message.Header(":message-type"), "event");
  EXPECT_EQ(first->message.Header(":event-type"), "SubscribeToShardEvent");
  EXPECT_EQ(first->message.Header(":content-type"), "application/json");
  EXPECT_EQ(first->message.payload, R"({"Records":[]})");
  auto second = DecodeEventStreamMessage(std::string_view(out).substr(first->consumed), &error);
  ASSERT_TRUE(second.has_value()) << error;
  EXPECT_EQ(second->message.Header(":message-type"), "exception");
  EXPECT_EQ(second->message.Header(":exception-type"), "KMSThrottlingException");
  EXPECT_EQ(second->message.payload, std::string("\xa0", 1));
  EXPECT_EQ(first->consumed + second->consumed, out.size());
}

TEST(EventStreamTest, DecodesOtherHeaderTypes) {
  // Headers: "b" bool true (type 0), "i" int32 (type 4) = 7, "u" uuid (type 9); payload "x".
  std::string headers = std::string(
                            "\x01"
                            "b"
                            "\x00",
                            3) +
                        std::string(
                            "\x01"
                            "i"
                            "\x04"
                            "\x00\x00\x00\x07",
                            7) +
                        std::string(
                            "\x01"
                            "u"
                            "\x09",
                            3) +
                        std::string(16, '\x11');
  std::string msg;
  const uint32_t total = static_cast<uint32_t>(16 + headers.size() + 1);
  for (int s : {24, 16, 8, 0}) msg.push_back(static_cast<char>(total >> s));
  for (int s : {24, 16, 8, 0}) msg.push_back(static_cast<char>(headers.size() >> s));
  uint32_t crc = Crc32(msg);
  for (int s : {24, 16, 8, 0}) msg.push_back(static_cast<char>(crc >> s));
  msg += headers + "x";
  crc = Crc32(msg);
  for (int s : {24, 16, 8, 0}) msg.push_back(static_cast<char>(crc >> s));
  std::string error;
  auto d = DecodeEventStreamMessage(msg, &error);
  ASSERT_TRUE(d.has_value()) << error;
  ASSERT_EQ(d->message.headers.size(), 3u);
  EXPECT_EQ(d->message.headers[0].type, 0);
  EXPECT_EQ(d->message.headers[1].value, std::string("\x00\x00\x00\x07", 4));
  EXPECT_EQ(d->message.headers[2].value.size(), 16u);
  EXPECT_EQ(d->message.payload, "x");
}

TEST(EventStreamTest, RejectsMalformedFrames) {
  const std::string good = Unhex(kInitialResponseHex);
  std::string error;
  ASSERT_TRUE(DecodeEventStreamMessage(good, &error).has_value()) << error;

  EXPECT_FALSE(DecodeEventStreamMessage(good.substr(0, 11), &error).has_value());
  EXPECT_EQ(error, "incomplete");
  EXPECT_FALSE(DecodeEventStreamMessage(good.substr(0, 103), &error).has_value());
  EXPECT_EQ(error, "incomplete");

  std::string bad_prelude = good;
  bad_prelude[11] ^= 1;
  EXPECT_FALSE(DecodeEventStreamMessage(bad_prelude, &error).has_value());
  EXPECT_EQ(error, "prelude CRC mismatch");

  std::string bad_payload = good;
  bad_payload[100] = '[';  // payload "{}" -> "[}"
  EXPECT_FALSE(DecodeEventStreamMessage(bad_payload, &error).has_value());
  EXPECT_EQ(error, "message CRC mismatch");

  // Headers longer than the message (prelude CRC recomputed so only the lengths are wrong).
  std::string bad_lengths = good;
  bad_lengths[7] = static_cast<char>(0x60);
  uint32_t crc = Crc32(std::string_view(bad_lengths).substr(0, 8));
  for (int i = 0; i < 4; ++i) bad_lengths[8 + i] = static_cast<char>(crc >> (24 - 8 * i));
  EXPECT_FALSE(DecodeEventStreamMessage(bad_lengths, &error).has_value());
  EXPECT_EQ(error, "inconsistent lengths");

  // A header with an unknown value type (message CRCs valid).
  std::string unknown;
  std::string headers = std::string(
      "\x01"
      "z"
      "\x0c",
      3);
  const uint32_t total = static_cast<uint32_t>(16 + headers.size());
  for (int s : {24, 16, 8, 0}) unknown.push_back(static_cast<char>(total >> s));
  for (int s : {24, 16, 8, 0}) unknown.push_back(static_cast<char>(headers.size() >> s));
  crc = Crc32(unknown);
  for (int s : {24, 16, 8, 0}) unknown.push_back(static_cast<char>(crc >> s));
  unknown += headers;
  crc = Crc32(unknown);
  for (int s : {24, 16, 8, 0}) unknown.push_back(static_cast<char>(crc >> s));
  EXPECT_FALSE(DecodeEventStreamMessage(unknown, &error).has_value());
  EXPECT_EQ(error, "unknown header value type");
}

}  // namespace
}  // namespace kemu::api
