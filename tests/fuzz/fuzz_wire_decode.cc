// Fuzz target: the JSON request decoder and model validation (api::DecodeInput) on the input shapes of
// PutRecords, ListShards and GetShardIterator, fed arbitrary bytes parsed as JSON. The first byte picks the
// shape; the rest is the body. Any crash, sanitizer report or exception escaping DecodeInput is a finding.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/api_model.h"
#include "api/wire_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr std::string_view kOperations[] = {"PutRecords", "ListShards", "GetShardIterator", "PutRecord",
                                                     "GetRecords"};
  const auto& model = kemu::api::ApiModel::Kinesis();
  const kemu::api::Operation* op = model.FindOperation(kOperations[data[0] % std::size(kOperations)]);
  if (op == nullptr || op->input == nullptr) __builtin_trap();
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  kemu::Json body = kemu::Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return 0;
  auto decoded = kemu::api::DecodeInput(*op->input, body, kemu::api::WireProtocol::kJson);
  if (decoded.ok()) {
    std::string out;
    kemu::api::EncodeJsonOutput(*op->input, decoded.value(), out);
  }
  return 0;
}
