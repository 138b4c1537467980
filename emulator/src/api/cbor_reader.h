// ReadCbor: a CBOR (RFC 8949) document -> Json, as the Kinesis CBOR 1.1 protocol needs it.
//
// Byte strings become Json::binary, tags are dropped (tag 1, epoch time, leaves the integer milliseconds AWS puts
// in it), definite and indefinite-length strings, arrays and maps are accepted, and nesting is bounded so a
// hostile document cannot exhaust the stack. nlohmann-json's own reader (3.11.2) rejects tags 0..5, hence this.
#pragma once

#include <optional>
#include <string_view>

#include "api/json.h"

namespace kemu::api {

// nullopt when `bytes` is not exactly one well-formed CBOR data item (or nests more than `max_depth` arrays, maps and
// tags deep).
std::optional<Json> ReadCbor(std::string_view bytes, int max_depth = kMaxNestingDepth);

}  // namespace kemu::api
