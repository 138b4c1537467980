// ReadJson: a JSON text (RFC 8259) -> Json, accepting exactly what nlohmann-json 3.11.2's strict parser accepts
// and building the same value, only faster on the request path: strings are copied in runs rather than one
// character at a time, and no token copy is kept for error messages (a failure is just nullopt).
//
// Same acceptance as nlohmann::json::parse(text, nullptr, false): a leading UTF-8 byte order mark is skipped;
// whitespace is space, tab, CR, LF; no comments, no trailing content (but a NUL byte after the value ends the input, as
// in nlohmann's lexer); strings must be well-formed UTF-8 without raw control characters, escapes include \uXXXX with
// paired surrogates; numbers follow the JSON grammar, a non-negative integer that fits is unsigned, a negative one that
// fits is signed, anything else is a double and must be finite. A repeated object key keeps the last value. Nesting is
// iterative (no recursion); arrays and objects nested deeper than `max_depth` are refused (nlohmann has no limit).
#pragma once

#include <optional>
#include <string_view>

#include "api/json.h"

namespace kemu::api {

std::optional<Json> ReadJson(std::string_view text, int max_depth = kMaxNestingDepth);

}  // namespace kemu::api
