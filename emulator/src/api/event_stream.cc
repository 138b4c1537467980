#include "api/event_stream.h"

#include <array>

namespace kemu::api {
namespace {

constexpr size_t kPreludeBytes = 12;
constexpr size_t kMinMessageBytes = kPreludeBytes + 4;

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr auto kCrcTable = MakeCrcTable();

void PutU32(uint32_t v, std::string& out) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

uint32_t GetU32(std::string_view b, size_t at) {
  return (uint32_t{static_cast<uint8_t>(b[at])} << 24) | (uint32_t{static_cast<uint8_t>(b[at + 1])} << 16) |
         (uint32_t{static_cast<uint8_t>(b[at + 2])} << 8) | uint32_t{static_cast<uint8_t>(b[at + 3])};
}

bool Fail(std::string* error, const char* why) {
  if (error != nullptr) *error = why;
  return false;
}

// Bytes of a fixed-size header value, by type; -1 for variable-length types (6, 7), -2 for unknown types.
int FixedValueBytes(uint8_t type) {
  switch (type) {
    case 0:
    case 1:
      return 0;  // bool true / false: no value bytes
    case 2:
      return 1;
    case 3:
      return 2;
    case 4:
      return 4;
    case 5:
    case 8:
      return 8;
    case 9:
      return 16;
    case 6:
    case 7:
      return -1;
    default:
      return -2;
  }
}

bool ParseHeaders(std::string_view h, std::vector<EventStreamHeader>& headers, std::string* error) {
  size_t at = 0;
  while (at < h.size()) {
    const size_t name_len = static_cast<uint8_t>(h[at++]);
    if (name_len == 0) return Fail(error, "empty header name");
    if (at + name_len + 1 > h.size()) return Fail(error, "header overruns the header block");
    EventStreamHeader header;
    header.name.assign(h.substr(at, name_len));
    at += name_len;
    header.type = static_cast<uint8_t>(h[at++]);
    const int fixed = FixedValueBytes(header.type);
    if (fixed == -2) return Fail(error, "unknown header value type");
    size_t value_len;
    if (fixed == -1) {
      if (at + 2 > h.size()) return Fail(error, "header overruns the header block");
      value_len = (size_t{static_cast<uint8_t>(h[at])} << 8) | static_cast<uint8_t>(h[at + 1]);
      at += 2;
    } else {
      value_len = static_cast<size_t>(fixed);
    }
    if (at + value_len > h.size()) return Fail(error, "header value overruns the header block");
    header.value.assign(h.substr(at, value_len));
    at += value_len;
    headers.push_back(std::move(header));
  }
  return true;
}

}  // namespace

uint32_t Crc32(std::string_view bytes, uint32_t crc) {
  crc = ~crc;
  for (char ch : bytes) crc = kCrcTable[(crc ^ static_cast<uint8_t>(ch)) & 0xff] ^ (crc >> 8);
  return ~crc;
}

std::string EventStreamMessage::Header(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.name == name) return h.value;
  }
  return {};
}

void EncodeEventStreamMessage(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view payload,
                              std::string& out) {
  std::string h;
  for (const auto& [name, value] : headers) {
    h.push_back(static_cast<char>(name.size()));
    h += name;
    h.push_back(7);
    h.push_back(static_cast<char>(value.size() >> 8));
    h.push_back(static_cast<char>(value.size() & 0xff));
    h += value;
  }
  const size_t start = out.size();
  PutU32(static_cast<uint32_t>(kMinMessageBytes + h.size() + payload.size()), out);
  PutU32(static_cast<uint32_t>(h.size()), out);
  PutU32(Crc32(std::string_view(out).substr(start, 8)), out);
  out += h;
  out += payload;
  PutU32(Crc32(std::string_view(out).substr(start)), out);
}

void AppendEventMessage(std::string_view event_type, std::string_view content_type, std::string_view payload,
                        std::string& out) {
  EncodeEventStreamMessage({{":message-type", "event"},
                            {":event-type", std::string(event_type)},
                            {":content-type", std::string(content_type)}},
                           payload, out);
}

void AppendExceptionMessage(std::string_view exception_type, std::string_view content_type, std::string_view payload,
                            std::string& out) {
  EncodeEventStreamMessage({{":message-type", "exception"},
                            {":exception-type", std::string(exception_type)},
                            {":content-type", std::string(content_type)}},
                           payload, out);
}

std::optional<DecodedEventStreamMessage> DecodeEventStreamMessage(std::string_view bytes, std::string* error) {
  if (bytes.size() < kPreludeBytes) {
    Fail(error, "incomplete");
    return std::nullopt;
  }
  const uint32_t total = GetU32(bytes, 0);
  const uint32_t headers_len = GetU32(bytes, 4);
  if (GetU32(bytes, 8) != Crc32(bytes.substr(0, 8))) {
    Fail(error, "prelude CRC mismatch");
    return std::nullopt;
  }
  if (total < kMinMessageBytes || headers_len > total - kMinMessageBytes) {
    Fail(error, "inconsistent lengths");
    return std::nullopt;
  }
  if (headers_len > kEventStreamMaxHeaderBytes ||
      total - kMinMessageBytes - headers_len > kEventStreamMaxPayloadBytes) {
    Fail(error, "message over the size limits");
    return std::nullopt;
  }
  if (bytes.size() < total) {
    Fail(error, "incomplete");
    return std::nullopt;
  }
  if (GetU32(bytes, total - 4) != Crc32(bytes.substr(0, total - 4))) {
    Fail(error, "message CRC mismatch");
    return std::nullopt;
  }
  DecodedEventStreamMessage d;
  if (!ParseHeaders(bytes.substr(kPreludeBytes, headers_len), d.message.headers, error)) return std::nullopt;
  d.message.payload.assign(bytes.substr(kPreludeBytes + headers_len, total - kMinMessageBytes - headers_len));
  d.consumed = total;
  return d;
}

}  // namespace kemu::api
