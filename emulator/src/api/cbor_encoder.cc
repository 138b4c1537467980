#include "api/cbor_encoder.h"

#include "api/cbor_writer.h"
#include "api/record_list.h"

namespace kemu::api {

void EncodeCborOutput(const Shape& shape, const Json& v, std::string& out) {
  switch (shape.type) {
    case ShapeType::kStructure: {
      size_t present = 0;
      for (const auto& m : shape.members) {
        auto it = v.find(m.name);
        if (it != v.end() && !it->is_null()) ++present;
      }
      cbor::Head(5, present, out);
      for (const auto& m : shape.members) {
        auto it = v.find(m.name);
        if (it == v.end() || it->is_null()) continue;
        cbor::Text(m.name, out);
        EncodeCborOutput(*m.shape, *it, out);
      }
      return;
    }
    case ShapeType::kList:
      if (auto records = AsRecordList(v)) {
        WriteRecordListCbor(*shape.member, *records, out);
        return;
      }
      cbor::Head(4, v.size(), out);
      for (const auto& e : v) EncodeCborOutput(*shape.member, e, out);
      return;
    case ShapeType::kMap:
      cbor::Head(5, v.size(), out);
      for (auto it = v.begin(); it != v.end(); ++it) {
        cbor::Text(it.key(), out);
        EncodeCborOutput(*shape.value, *it, out);
      }
      return;
    case ShapeType::kString:
      cbor::Text(v.is_string() ? v.get_ref<const std::string&>() : v.dump(), out);
      return;
    case ShapeType::kBoolean:
      out.push_back(static_cast<char>(v.get<bool>() ? 0xf5 : 0xf4));
      return;
    case ShapeType::kInteger:
    case ShapeType::kLong:
      cbor::Int(v.get<int64_t>(), out);
      return;
    case ShapeType::kTimestamp:
      cbor::Head(6, 1, out);  // tag 1, epoch time; AWS puts integer milliseconds in it
      cbor::Int(v.get<int64_t>(), out);
      return;
    case ShapeType::kBlob:
      if (v.is_binary()) {
        const auto& bin = v.get_binary();
        cbor::Bytes(std::string_view(reinterpret_cast<const char*>(bin.data()), bin.size()), out);
      } else {
        cbor::Bytes(v.is_string() ? v.get_ref<const std::string&>() : "", out);
      }
      return;
  }
}

std::string CborError(std::string_view type, std::string_view message_key, std::string_view message) {
  std::string out;
  cbor::Head(5, message.empty() ? 1 : 2, out);
  cbor::Text("__type", out);
  cbor::Text(type, out);
  if (!message.empty()) {
    cbor::Text(message_key, out);
    cbor::Text(message, out);
  }
  return out;
}

}  // namespace kemu::api
