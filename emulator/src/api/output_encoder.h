// EncodeOutput: an action's normalized output in the protocol of the request (api/json_encoder.h or
// api/cbor_encoder.h).
#pragma once

#include <string>

#include "api/cbor_encoder.h"
#include "api/json_encoder.h"
#include "api/wire_protocol.h"

namespace kemu::api {

inline void EncodeOutput(const Shape& shape, const Json& value, WireProtocol protocol, std::string& out) {
  if (protocol == WireProtocol::kCbor) {
    EncodeCborOutput(shape, value, out);
  } else {
    EncodeJsonOutput(shape, value, out);
  }
}

}  // namespace kemu::api
