// Fuzz target: the JSON request path (application/x-amz-json-1.1) as the endpoint runs it: api::ParseBody (the
// project's ReadJson), then model validation (api::DecodeInput) on the input shape of any operation, then the JSON
// and CBOR encoders on what validation accepted. The first byte picks the operation; the rest is the body. Run with
// -max_len=1048576 (ci/fuzz.sh does) so long values reach the validator's pattern and length checks. A crash, a
// sanitizer report or an exception escaping is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/cbor_encoder.h"
#include "api/input_decoder.h"
#include "api/json_encoder.h"
#include "fuzz_operation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const kemu::api::Operation& op = kemu::fuzz::OperationFor(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  auto body = kemu::api::ParseBody(text, kemu::api::WireProtocol::kJson);
  if (!body.has_value() || !body->is_object()) return 0;
  auto decoded = kemu::api::DecodeInput(*op.input, *body, kemu::api::WireProtocol::kJson);
  if (decoded.ok()) {
    std::string out;
    kemu::api::EncodeJsonOutput(*op.input, decoded.value(), out);
    if (!kemu::api::ParseBody(out, kemu::api::WireProtocol::kJson).has_value()) __builtin_trap();
    out.clear();
    kemu::api::EncodeCborOutput(*op.input, decoded.value(), out);
  }
  return 0;
}
