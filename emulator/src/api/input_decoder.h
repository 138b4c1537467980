// The request side of the wire: a body in either protocol -> the normalized input an action receives.
//
// ParseBody reads the bytes (api/json_reader.h, api/cbor_reader.h). DecodeInput then converts by walking the
// operation's input shape: types are checked (a mismatch is a SerializationException in Coral's wording, the first
// one wins), unknown members and nulls are dropped, integers are floored and clamped as Coral does, blobs are
// decoded from base64 (JSON) into Json::binary, timestamps become integer epoch milliseconds; then every model
// constraint is checked (api/input_validator.h).
//
// Thread-safety: stateless functions.
#pragma once

#include <optional>
#include <string_view>

#include "api/api_model.h"
#include "api/json.h"
#include "api/wire_protocol.h"
#include "kemu/status.h"

namespace kemu::api {

// A request body of the given protocol; nullopt when it is not well-formed (or nests too deep).
std::optional<Json> ParseBody(std::string_view body, WireProtocol protocol);

// `body` is the parsed request document.
Result<Json> DecodeInput(const Shape& input, const Json& body, WireProtocol protocol);

}  // namespace kemu::api
