// Pieces of a JSON encoding appended to a string: escaped string literals, integers, and timestamps as AWS writes
// them (epoch seconds with up to three decimals, never in exponent notation).
//
// Shared by the model-driven encoder (api/json_encoder.h) and the record-list writer (api/record_list.h), as
// api/cbor_writer.h is for CBOR.
// Thread-safety: stateless functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kemu::api {

// A JSON string literal with its escapes.
void AppendJsonString(std::string_view s, std::string& out);
// A decimal integer.
void AppendInt(int64_t n, std::string& out);
// Epoch seconds with up to three decimals ("1785732980.986", "1785732980").
void AppendEpochSeconds(int64_t epoch_ms, std::string& out);

}  // namespace kemu::api
