#include "api/json_encoder.h"

#include "api/json_writer.h"
#include "api/record_list.h"
#include "util/base64.h"

namespace kemu::api {

void EncodeJsonOutput(const Shape& shape, const Json& v, std::string& out) {
  switch (shape.type) {
    case ShapeType::kStructure: {
      out.push_back('{');
      bool first = true;
      for (const auto& m : shape.members) {
        auto it = v.find(m.name);
        if (it == v.end() || it->is_null()) continue;
        if (!first) out.push_back(',');
        first = false;
        out += m.json_key;
        EncodeJsonOutput(*m.shape, *it, out);
      }
      out.push_back('}');
      return;
    }
    case ShapeType::kList: {
      if (auto records = AsRecordList(v)) {
        WriteRecordListJson(*shape.member, *records, out);
        return;
      }
      out.push_back('[');
      bool first = true;
      for (const auto& e : v) {
        if (!first) out.push_back(',');
        first = false;
        EncodeJsonOutput(*shape.member, e, out);
      }
      out.push_back(']');
      return;
    }
    case ShapeType::kMap: {
      out.push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out.push_back(',');
        first = false;
        AppendJsonString(it.key(), out);
        out.push_back(':');
        EncodeJsonOutput(*shape.value, *it, out);
      }
      out.push_back('}');
      return;
    }
    case ShapeType::kString:
      AppendJsonString(v.is_string() ? v.get_ref<const std::string&>() : v.dump(), out);
      return;
    case ShapeType::kBoolean:
      out += v.get<bool>() ? "true" : "false";
      return;
    case ShapeType::kInteger:
    case ShapeType::kLong:
      AppendInt(v.get<int64_t>(), out);
      return;
    case ShapeType::kTimestamp:
      AppendEpochSeconds(v.get<int64_t>(), out);
      return;
    case ShapeType::kBlob: {
      out.push_back('"');
      if (v.is_binary()) {
        const auto& bin = v.get_binary();
        Base64EncodeAppend(std::string_view(reinterpret_cast<const char*>(bin.data()), bin.size()), out);
      } else if (v.is_string()) {
        Base64EncodeAppend(v.get_ref<const std::string&>(), out);
      }
      out.push_back('"');
      return;
    }
  }
}

}  // namespace kemu::api
