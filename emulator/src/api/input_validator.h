// ValidateInput: every constraint of the API model on a converted request (length, range, pattern, enum,
// required members), reported as Coral reports it: one ValidationException "N validation error(s) detected: Value
// '...' at 'member' failed to satisfy constraint: ...", at most ten items. docs/aws_error_texts.md section 9 has
// the texts and their sources.
//
// Cost: linear in the request (patterns are RE2, see api/pattern_matcher.h); it recurses along the model's input
// shape, never along the request, and stops collecting after the tenth error.
// Thread-safety: stateless.
#pragma once

#include "api/api_model.h"
#include "api/json.h"
#include "kemu/status.h"

namespace kemu::api {

// `normalized` is what api::DecodeInput's conversion made of the request: its kinds match `input`.
Status ValidateInput(const Shape& input, const Json& normalized);

}  // namespace kemu::api
