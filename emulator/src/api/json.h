// The JSON value type used between the wire codecs and the actions.
//
// Actions read and write "normalized" values: blobs are Json::binary_t, timestamps are integer epoch
// milliseconds, everything else is plain JSON. The wire codecs (api/input_decoder.h, api/output_encoder.h) convert to
// and from each protocol using the API model's shapes.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace kemu {

using Json = nlohmann::json;

// The deepest nesting of arrays and objects (maps, CBOR tags) a request body may have: Jackson's default limit
// (StreamReadConstraints, 1000), which AWS's JSON and CBOR parsers apply. A Kinesis request nests four levels at
// most; the limit keeps any walk over a parsed value, and the CBOR reader's recursion, to a bounded stack.
constexpr int kMaxNestingDepth = 1000;

// Accessors for normalized input (already validated against the model, so types are known).
inline std::optional<std::string> OptString(const Json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}
inline std::optional<int64_t> OptInt(const Json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}
inline std::optional<bool> OptBool(const Json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}
// A blob member's bytes (empty view when absent).
inline std::string_view BlobBytes(const Json& in, const char* key) {
  auto it = in.find(key);
  if (it == in.end() || !it->is_binary()) return {};
  const auto& bin = it->get_binary();
  return std::string_view(reinterpret_cast<const char*>(bin.data()), bin.size());
}
inline Json MakeBlob(std::string_view bytes) {
  // From unsigned char pointers, so the copy is one memmove rather than a loop converting char by char.
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  return Json::binary(Json::binary_t::container_type(p, p + bytes.size()));
}

}  // namespace kemu
