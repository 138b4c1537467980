// EncodeJsonOutput: a normalized value -> JSON 1.1, by walking the output shape: members in the model's order,
// absent ones omitted, blobs as base64, timestamps as decimal epoch seconds. A record list (api/record_list.h) in a
// list position is written by its own writer.
//
// Thread-safety: stateless.
#pragma once

#include <string>

#include "api/api_model.h"
#include "api/json.h"

namespace kemu::api {

void EncodeJsonOutput(const Shape& shape, const Json& value, std::string& out);

}  // namespace kemu::api
