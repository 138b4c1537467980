// The `application/vnd.amazon.eventstream` message framing (SubscribeToShard's response body).
//
// One message is: a 12-byte prelude (uint32 total length, uint32 headers length, uint32 CRC32 of those 8 bytes),
// the headers, the payload, and a uint32 CRC32 of everything before it. All integers are big-endian; the CRC is
// the IEEE/zlib one. A header is a uint8 name length, the name, a uint8 value type and the value. The encoder
// writes only string headers (type 7, uint16 length), the only type Kinesis uses; the decoder (for tests and
// tools) reads every type and checks both CRCs and every length.
//
// Thread-safety: stateless functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kemu::api {

// Limits of the format.
constexpr size_t kEventStreamMaxPayloadBytes = 24 * 1024 * 1024;
constexpr size_t kEventStreamMaxHeaderBytes = 128 * 1024;

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), continuing from `crc` (0 to start).
uint32_t Crc32(std::string_view bytes, uint32_t crc = 0);

struct EventStreamHeader {
  std::string name;
  uint8_t type = 7;   // 7: string; the decoder keeps other types' raw value bytes in `value`
  std::string value;  // for type 7 the string; otherwise the value's bytes as on the wire
};

struct EventStreamMessage {
  std::vector<EventStreamHeader> headers;
  std::string payload;

  // The value of a header (empty when absent).
  std::string Header(std::string_view name) const;
};

// Appends one encoded message with string headers to `out`.
void EncodeEventStreamMessage(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view payload,
                              std::string& out);

// Kinesis' three kinds of message.
void AppendEventMessage(std::string_view event_type, std::string_view content_type, std::string_view payload,
                        std::string& out);
void AppendExceptionMessage(std::string_view exception_type, std::string_view content_type, std::string_view payload,
                            std::string& out);

// Decodes the message at the start of `bytes`. Returns the message and the number of bytes it used, or nullopt
// when the bytes do not (yet) hold a whole valid message; `error` (when given) then says why ("incomplete" when
// more bytes could complete it).
struct DecodedEventStreamMessage {
  EventStreamMessage message;
  size_t consumed = 0;
};
std::optional<DecodedEventStreamMessage> DecodeEventStreamMessage(std::string_view bytes, std::string* error = nullptr);

}  // namespace kemu::api
