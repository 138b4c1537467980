// Model-driven conversion between the wire (JSON 1.1 today) and normalized values.
//
// DecodeInput checks types (SerializationException, first mismatch wins) and then every member constraint of
// the model (ValidationException in the Coral form: "N validation error(s) detected: Value '...' at 'member'
// failed to satisfy constraint: ..."). EncodeJsonOutput writes a normalized value by walking the output shape:
// blobs as base64, timestamps as decimal epoch seconds (never exponent notation), absent members omitted. A
// record list (api/record_list.h) in a list position is written by its own writer, in both protocols.
//
// Thread-safety: stateless functions.
#pragma once

#include <optional>
#include <string>

#include "api/api_model.h"
#include "api/json.h"
#include "kemu/status.h"

namespace kemu::api {

enum class WireProtocol { kJson, kCbor };

// `body` is the parsed request document. Unknown members and nulls are dropped.
Result<Json> DecodeInput(const Shape& input, const Json& body, WireProtocol protocol);

// Appends the JSON encoding of `value` (normalized) per `shape`.
void EncodeJsonOutput(const Shape& shape, const Json& value, std::string& out);
// Appends the CBOR encoding (application/x-amz-cbor-1.1): blobs as byte strings, timestamps as tag 1 with integer
// epoch milliseconds, definite-length maps and arrays.
void EncodeCborOutput(const Shape& shape, const Json& value, std::string& out);
// One of the two above, as `protocol` says.
void EncodeOutput(const Shape& shape, const Json& value, WireProtocol protocol, std::string& out);
// A CBOR map {"__type": type, "message": message} (message omitted when empty).
std::string CborError(std::string_view type, std::string_view message_key, std::string_view message);

// Parses a request body of the given protocol; nullopt when it is not well-formed.
std::optional<Json> ParseBody(std::string_view body, WireProtocol protocol);

// Timestamp rendering used on the JSON wire: epoch seconds with up to three decimals.
void AppendEpochSeconds(int64_t epoch_ms, std::string& out);
// JSON string literal with escapes.
void AppendJsonString(std::string_view s, std::string& out);

}  // namespace kemu::api
