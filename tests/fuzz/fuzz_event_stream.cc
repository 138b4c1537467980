// Fuzz target: the event-stream framing (application/vnd.amazon.eventstream) both ways.
//
// 1. Decode: the input is read as a sequence of messages until the decoder stops. Whatever it accepts and that
//    has only string headers must encode back to exactly the bytes it was read from.
// 2. Encode: the input is also cut into headers and a payload (the first byte says how many headers, each then
//    takes a length byte for its name and one for its value); the encoded message must decode to the same
//    headers and payload and use exactly the bytes written.
// A crash, a sanitizer report or a failed round trip is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/event_stream.h"

namespace {

void DecodeAndReencode(std::string_view bytes) {
  while (!bytes.empty()) {
    std::string error;
    auto decoded = kemu::api::DecodeEventStreamMessage(bytes, &error);
    if (!decoded.has_value()) return;
    if (decoded->consumed == 0 || decoded->consumed > bytes.size()) __builtin_trap();
    bool all_strings = true;
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto& h : decoded->message.headers) {
      if (h.type != 7) all_strings = false;
      headers.emplace_back(h.name, h.value);
    }
    if (all_strings) {
      std::string again;
      kemu::api::EncodeEventStreamMessage(headers, decoded->message.payload, again);
      if (again != bytes.substr(0, decoded->consumed)) __builtin_trap();
    }
    bytes.remove_prefix(decoded->consumed);
  }
}

void EncodeAndDecode(std::string_view bytes) {
  if (bytes.empty()) return;
  size_t count = static_cast<uint8_t>(bytes[0]) % 8;
  bytes.remove_prefix(1);
  std::vector<std::pair<std::string, std::string>> headers;
  for (size_t i = 0; i < count && bytes.size() >= 2; ++i) {
    size_t name_len = 1 + static_cast<uint8_t>(bytes[0]) % 32;  // names are 1..255 bytes; keep them short
    size_t value_len = static_cast<uint8_t>(bytes[1]);
    bytes.remove_prefix(2);
    if (bytes.size() < name_len + value_len) break;
    headers.emplace_back(std::string(bytes.substr(0, name_len)), std::string(bytes.substr(name_len, value_len)));
    bytes.remove_prefix(name_len + value_len);
  }
  std::string encoded = "prefix";  // the encoder appends: what was there must stay
  kemu::api::EncodeEventStreamMessage(headers, bytes, encoded);
  if (encoded.compare(0, 6, "prefix") != 0) __builtin_trap();
  std::string_view message = std::string_view(encoded).substr(6);
  auto decoded = kemu::api::DecodeEventStreamMessage(message);
  if (!decoded.has_value() || decoded->consumed != message.size()) __builtin_trap();
  if (decoded->message.payload != bytes) __builtin_trap();
  if (decoded->message.headers.size() != headers.size()) __builtin_trap();
  for (size_t i = 0; i < headers.size(); ++i) {
    const auto& h = decoded->message.headers[i];
    if (h.type != 7 || h.name != headers[i].first || h.value != headers[i].second) __builtin_trap();
  }
  // Every strict prefix is incomplete, never a message.
  if (kemu::api::DecodeEventStreamMessage(message.substr(0, message.size() - 1)).has_value()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  DecodeAndReencode(bytes);
  EncodeAndDecode(bytes);
  return 0;
}
