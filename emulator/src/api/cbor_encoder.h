// EncodeCborOutput: a normalized value -> CBOR 1.1 (application/x-amz-cbor-1.1), by walking the output shape:
// definite-length maps and arrays, blobs as byte strings, timestamps as tag 1 with integer epoch milliseconds. A
// record list (api/record_list.h) in a list position is written by its own writer. CborError is the error body.
//
// Thread-safety: stateless.
#pragma once

#include <string>
#include <string_view>

#include "api/api_model.h"
#include "api/json.h"

namespace kemu::api {

void EncodeCborOutput(const Shape& shape, const Json& value, std::string& out);
// A CBOR map {"__type": type, message_key: message} (message omitted when empty).
std::string CborError(std::string_view type, std::string_view message_key, std::string_view message);

}  // namespace kemu::api
