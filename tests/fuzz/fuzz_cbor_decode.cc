// Fuzz target: the CBOR request path (application/x-amz-cbor-1.1): api::ParseBody with the CBOR protocol, then
// model validation (api::DecodeInput) on the input shape of any operation, then the CBOR and JSON encoders on what
// validation accepted. The first byte picks the operation; the rest is the body (up to 1 MiB under ci/fuzz.sh). A
// crash, a sanitizer report, an exception escaping or an answer that cannot be re-encoded is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/cbor_encoder.h"
#include "api/cbor_reader.h"
#include "api/input_decoder.h"
#include "api/json_encoder.h"
#include "fuzz_operation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const kemu::api::Operation* op = &kemu::fuzz::OperationFor(data[0]);
  std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  // The reader alone, with a shallow depth limit, must refuse deep input rather than recurse.
  (void)kemu::api::ReadCbor(bytes, 8);

  auto body = kemu::api::ParseBody(bytes, kemu::api::WireProtocol::kCbor);
  if (!body.has_value() || !body->is_object()) return 0;
  auto decoded = kemu::api::DecodeInput(*op->input, *body, kemu::api::WireProtocol::kCbor);
  if (decoded.ok()) {
    std::string out;
    kemu::api::EncodeCborOutput(*op->input, decoded.value(), out);
    if (!kemu::api::ReadCbor(out).has_value()) __builtin_trap();  // our own output must read back
    out.clear();
    kemu::api::EncodeJsonOutput(*op->input, decoded.value(), out);
  }
  return 0;
}
