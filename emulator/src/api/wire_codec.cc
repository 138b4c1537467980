#include "api/wire_codec.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include "api/cbor_reader.h"
#include "api/cbor_writer.h"
#include "api/json_reader.h"
#include "api/record_list.h"
#include "util/base64.h"

namespace kemu::api {
namespace {

constexpr int kMaxReportedValidationErrors = 10;

Status SerializationError(std::string message) { return Status(ErrorCode::kSerialization, std::move(message)); }

const char* JavaTypeName(ShapeType t) {
  switch (t) {
    case ShapeType::kInteger: return "an Integer";
    case ShapeType::kLong: return "an Long";
    case ShapeType::kBoolean: return "an Boolean";
    case ShapeType::kString: return "an String";
    case ShapeType::kBlob: return "a Blob";
    default: return "an Object";
  }
}

// Message for a JSON value whose kind does not fit `expected` (Coral's wording, as AWS answers it).
Status TypeMismatch(ShapeType expected, const Json& v) {
  if (v.is_array()) {
    if (expected == ShapeType::kStructure || expected == ShapeType::kMap) return SerializationError("Start of list found where not expected");
    return SerializationError("Start of list found where not expected");
  }
  if (v.is_object()) return SerializationError("Start of structure or map found where not expected.");
  switch (expected) {
    case ShapeType::kStructure:
      return SerializationError("Expected null");
    case ShapeType::kMap:
      return SerializationError("Expected map or null");
    case ShapeType::kList:
      return SerializationError("Expected list or null");
    case ShapeType::kTimestamp:
      if (v.is_string()) return SerializationError("class java.lang.String can not be converted to milliseconds since epoch");
      return SerializationError("class java.lang.Boolean can not be converted to milliseconds since epoch");
    default:
      break;
  }
  if (expected == ShapeType::kBoolean && v.is_string()) {
    std::string upper = v.get<std::string>();
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return SerializationError("'" + upper + "' can not be converted to an Boolean");
  }
  std::string from;
  if (v.is_boolean()) {
    from = "class java.lang.Boolean";
  } else if (v.is_number()) {
    from = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber";
  } else if (v.is_string()) {
    from = "class java.lang.String";
  } else {
    from = "class java.lang.Object";
  }
  return SerializationError(from + " can not be converted to " + JavaTypeName(expected));
}

Status Convert(const Shape& shape, const Json& v, WireProtocol protocol, Json* out);

Status ConvertStructure(const Shape& shape, const Json& v, WireProtocol protocol, Json* out) {
  if (!v.is_object()) return TypeMismatch(ShapeType::kStructure, v);
  *out = Json::object();
  for (auto it = v.begin(); it != v.end(); ++it) {
    const Shape::Member* m = shape.FindMember(it.key());
    if (m == nullptr || it->is_null()) continue;
    Json converted;
    KEMU_RETURN_IF_ERROR(Convert(*m->shape, *it, protocol, &converted));
    (*out)[m->name] = std::move(converted);
  }
  return Status::Ok();
}

Status Convert(const Shape& shape, const Json& v, WireProtocol protocol, Json* out) {
  if (v.is_null()) {
    *out = nullptr;
    return Status::Ok();
  }
  switch (shape.type) {
    case ShapeType::kStructure:
      return ConvertStructure(shape, v, protocol, out);
    case ShapeType::kList: {
      if (!v.is_array()) return TypeMismatch(ShapeType::kList, v);
      *out = Json::array();
      for (const auto& e : v) {
        Json converted;
        KEMU_RETURN_IF_ERROR(Convert(*shape.member, e, protocol, &converted));
        out->push_back(std::move(converted));
      }
      return Status::Ok();
    }
    case ShapeType::kMap: {
      if (!v.is_object()) return TypeMismatch(ShapeType::kMap, v);
      *out = Json::object();
      for (auto it = v.begin(); it != v.end(); ++it) {
        Json converted;
        KEMU_RETURN_IF_ERROR(Convert(*shape.value, *it, protocol, &converted));
        (*out)[it.key()] = std::move(converted);
      }
      return Status::Ok();
    }
    case ShapeType::kString:
      if (!v.is_string()) return TypeMismatch(ShapeType::kString, v);
      *out = v;
      return Status::Ok();
    case ShapeType::kBoolean:
      if (!v.is_boolean()) return TypeMismatch(ShapeType::kBoolean, v);
      *out = v;
      return Status::Ok();
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      // Coral floors fractions and clamps to the type's range rather than rejecting.
      if (!v.is_number()) return TypeMismatch(shape.type, v);
      const bool is_int = shape.type == ShapeType::kInteger;
      const int64_t lo = is_int ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int64_t>::min();
      const int64_t hi = is_int ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int64_t>::max();
      int64_t n;
      if (v.is_number_float()) {
        double d = std::floor(v.get<double>());
        if (std::isnan(d)) {
          n = 0;
        } else if (d <= static_cast<double>(lo)) {
          n = lo;
        } else if (d >= static_cast<double>(hi)) {
          n = hi;
        } else {
          n = static_cast<int64_t>(d);
        }
      } else if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi)) {
        n = hi;
      } else {
        n = std::clamp<int64_t>(v.get<int64_t>(), lo, hi);
      }
      *out = n;
      return Status::Ok();
    }
    case ShapeType::kBlob: {
      if (v.is_binary()) {
        *out = v;
        return Status::Ok();
      }
      if (!v.is_string()) return TypeMismatch(ShapeType::kBlob, v);
      const auto& text = v.get_ref<const std::string&>();
      auto bytes = Base64Decode(text);
      if (!bytes) {
        std::string shown = text.size() > 64 ? text.substr(0, 64) + "..." : text;
        if (text.size() % 4 != 0) {
          return SerializationError("'" + shown + "' can not be converted to a Blob: Base64 encoded length is " +
                                    "expected a multiple of 4 bytes but found: " + std::to_string(text.size()));
        }
        return SerializationError("'" + shown + "' can not be converted to a Blob: Invalid Base64 character");
      }
      *out = MakeBlob(*bytes);
      return Status::Ok();
    }
    case ShapeType::kTimestamp: {
      if (!v.is_number()) return TypeMismatch(ShapeType::kTimestamp, v);
      if (protocol == WireProtocol::kCbor) {
        // CBOR carries epoch milliseconds (tag 1 with an integer).
        *out = v.is_number_float() ? static_cast<int64_t>(std::llround(v.get<double>())) : v.get<int64_t>();
      } else {
        // JSON carries epoch seconds, possibly with a fraction.
        double seconds = v.get<double>();
        if (!std::isfinite(seconds) || std::fabs(seconds) > 9.0e15) {
          return SerializationError("Numeric value (" + v.dump() + ") out of range of long");
        }
        *out = static_cast<int64_t>(std::llround(seconds * 1000.0));
      }
      return Status::Ok();
    }
  }
  return Status::Ok();
}

// Length as Java counts it (UTF-16 code units) for a UTF-8 string.
int64_t Utf16Length(const std::string& s) {
  int64_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    n += (c >= 0xF0) ? 2 : 1;
  }
  return n;
}

std::string RenderValue(const Shape& shape, const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_binary()) {
    auto n = std::to_string(v.get_binary().size());
    return "java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]";
  }
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) s += ", ";
      s += shape.member ? RenderValue(*shape.member, v[i]) : v[i].dump();
    }
    return s + "]";
  }
  if (v.is_object()) {
    std::string s = "{";
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!first) s += ", ";
      first = false;
      s += it.key() + "=" + (it->is_string() ? it->get<std::string>() : it->dump());
    }
    return s + "}";
  }
  return v.dump();
}

class Validator {
 public:
  // `path` is the member path of `v` ("records.3.member.data"); it is extended in place for the children and
  // restored after each, so checking a request costs no string per member.
  void Check(const Shape& shape, const Json& v, std::string& path) {
    if (v.is_null()) return;
    const size_t mark = path.size();
    switch (shape.type) {
      case ShapeType::kStructure:
        for (const auto& m : shape.members) {
          if (!path.empty()) path += '.';
          path += m.error_name;
          auto it = v.find(m.name);
          if (it == v.end() || it->is_null()) {
            if (m.required) Add("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
          } else {
            CheckScalarConstraints(*m.shape, *it, path);
            Check(*m.shape, *it, path);
          }
          path.resize(mark);
        }
        break;
      case ShapeType::kList:
        for (size_t i = 0; i < v.size(); ++i) {
          path += '.';
          path += std::to_string(i + 1);
          path += ".member";
          if (v[i].is_null()) {
            Add("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
          } else {
            CheckScalarConstraints(*shape.member, v[i], path);
            Check(*shape.member, v[i], path);
          }
          path.resize(mark);
        }
        break;
      case ShapeType::kMap:
        CheckMapEntries(shape, v, path);
        break;
      default:
        break;
    }
  }

  // Constraints on the value itself: length/size, numeric range, pattern, enum.
  void CheckScalarConstraints(const Shape& shape, const Json& v, const std::string& path) {
    auto fail = [&](const std::string& constraint) {
      Add("Value '" + RenderValue(shape, v) + "' at '" + path + "' failed to satisfy constraint: " + constraint);
    };
    switch (shape.type) {
      case ShapeType::kString: {
        const auto& s = v.get_ref<const std::string&>();
        if (!shape.enum_values.empty()) {
          bool found = false;
          for (const auto& e : shape.enum_values) found = found || e == s;
          if (!found) {
            std::string set;
            for (size_t i = 0; i < shape.enum_values.size(); ++i) set += (i ? ", " : "") + shape.enum_values[i];
            fail("Member must satisfy enum value set: [" + set + "]");
          }
        }
        if (!shape.MatchesPattern(s)) {
          fail("Member must satisfy regular expression pattern: " + shape.pattern_text);
        }
        int64_t len = Utf16Length(s);
        if (shape.min && len < *shape.min) fail("Member must have length greater than or equal to " + std::to_string(*shape.min));
        if (shape.max && len > *shape.max) fail("Member must have length less than or equal to " + std::to_string(*shape.max));
        break;
      }
      case ShapeType::kBlob: {
        auto len = static_cast<int64_t>(v.get_binary().size());
        if (shape.min && len < *shape.min) fail("Member must have length greater than or equal to " + std::to_string(*shape.min));
        if (shape.max && len > *shape.max) fail("Member must have length less than or equal to " + std::to_string(*shape.max));
        break;
      }
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        int64_t n = v.get<int64_t>();
        if (shape.min && n < *shape.min) fail("Member must have value greater than or equal to " + std::to_string(*shape.min));
        if (shape.max && n > *shape.max) fail("Member must have value less than or equal to " + std::to_string(*shape.max));
        break;
      }
      case ShapeType::kList:
      case ShapeType::kMap: {
        auto n = static_cast<int64_t>(v.size());
        if (shape.min && n < *shape.min) fail("Member must have length greater than or equal to " + std::to_string(*shape.min));
        if (shape.max && n > *shape.max) fail("Member must have length less than or equal to " + std::to_string(*shape.max));
        break;
      }
      default:
        break;
    }
  }

  void CheckMapEntries(const Shape& shape, const Json& v, const std::string& path) {
    std::string key_problems, value_problems;
    auto note = [](std::string& list, const std::string& c) {
      if (list.find(c) == std::string::npos) list += (list.empty() ? "" : ", ") + c;
    };
    for (auto it = v.begin(); it != v.end(); ++it) {
      int64_t klen = Utf16Length(it.key());
      if (shape.key->min && klen < *shape.key->min) note(key_problems, "Member must have length greater than or equal to " + std::to_string(*shape.key->min));
      if (shape.key->max && klen > *shape.key->max) note(key_problems, "Member must have length less than or equal to " + std::to_string(*shape.key->max));
      if (it->is_string()) {
        int64_t vlen = Utf16Length(it->get_ref<const std::string&>());
        if (shape.value->min && vlen < *shape.value->min) note(value_problems, "Member must have length greater than or equal to " + std::to_string(*shape.value->min));
        if (shape.value->max && vlen > *shape.value->max) note(value_problems, "Member must have length less than or equal to " + std::to_string(*shape.value->max));
      }
    }
    if (!key_problems.empty()) {
      Add("Value '" + RenderValue(shape, v) + "' at '" + path + "' failed to satisfy constraint: Map keys must satisfy constraint: [" + key_problems + "]");
    }
    if (!value_problems.empty()) {
      Add("Value '" + RenderValue(shape, v) + "' at '" + path + "' failed to satisfy constraint: Map value must satisfy constraint: [" + value_problems + "]");
    }
  }

  Status Result() const {
    if (errors_.empty()) return Status::Ok();
    std::string msg = std::to_string(errors_.size()) + " validation error" + (errors_.size() > 1 ? "s" : "") + " detected: ";
    for (size_t i = 0; i < errors_.size() && i < kMaxReportedValidationErrors; ++i) {
      if (i) msg += "; ";
      msg += errors_[i];
    }
    return Status(ErrorCode::kValidation, msg);
  }

 private:
  void Add(std::string e) { errors_.push_back(std::move(e)); }
  std::vector<std::string> errors_;
};

void AppendInt(int64_t n, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), n);
  out.append(buf, r.ptr);
}

}  // namespace

Result<Json> DecodeInput(const Shape& input, const Json& body, WireProtocol protocol) {
  Json normalized;
  KEMU_RETURN_IF_ERROR(ConvertStructure(input, body, protocol, &normalized));
  Validator validator;
  std::string path;
  validator.Check(input, normalized, path);
  KEMU_RETURN_IF_ERROR(validator.Result());
  return normalized;
}

void AppendEpochSeconds(int64_t epoch_ms, std::string& out) {
  if (epoch_ms < 0) {
    out.push_back('-');
    epoch_ms = -epoch_ms;
  }
  AppendInt(epoch_ms / 1000, out);
  int ms = static_cast<int>(epoch_ms % 1000);
  if (ms != 0) {
    char frac[4] = {static_cast<char>('0' + ms / 100), static_cast<char>('0' + ms / 10 % 10),
                    static_cast<char>('0' + ms % 10), 0};
    int len = 3;
    while (len > 1 && frac[len - 1] == '0') --len;
    out.push_back('.');
    out.append(frac, len);
  }
}

void AppendJsonString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run_start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
  }
  out.append(s.data() + run_start, s.size() - run_start);
  out.push_back('"');
}

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

namespace kemu::api {
namespace {

void CborHead(uint8_t major, uint64_t value, std::string& out) { cbor::Head(major, value, out); }
void CborInt(int64_t v, std::string& out) { cbor::Int(v, out); }
void CborText(std::string_view s, std::string& out) { cbor::Text(s, out); }
void CborBytes(std::string_view s, std::string& out) { cbor::Bytes(s, out); }

}  // namespace

void EncodeCborOutput(const Shape& shape, const Json& v, std::string& out) {
  switch (shape.type) {
    case ShapeType::kStructure: {
      size_t present = 0;
      for (const auto& m : shape.members) {
        auto it = v.find(m.name);
        if (it != v.end() && !it->is_null()) ++present;
      }
      CborHead(5, present, out);
      for (const auto& m : shape.members) {
        auto it = v.find(m.name);
        if (it == v.end() || it->is_null()) continue;
        CborText(m.name, out);
        EncodeCborOutput(*m.shape, *it, out);
      }
      return;
    }
    case ShapeType::kList:
      if (auto records = AsRecordList(v)) {
        WriteRecordListCbor(*shape.member, *records, out);
        return;
      }
      CborHead(4, v.size(), out);
      for (const auto& e : v) EncodeCborOutput(*shape.member, e, out);
      return;
    case ShapeType::kMap:
      CborHead(5, v.size(), out);
      for (auto it = v.begin(); it != v.end(); ++it) {
        CborText(it.key(), out);
        EncodeCborOutput(*shape.value, *it, out);
      }
      return;
    case ShapeType::kString:
      CborText(v.is_string() ? v.get_ref<const std::string&>() : v.dump(), out);
      return;
    case ShapeType::kBoolean:
      out.push_back(static_cast<char>(v.get<bool>() ? 0xf5 : 0xf4));
      return;
    case ShapeType::kInteger:
    case ShapeType::kLong:
      CborInt(v.get<int64_t>(), out);
      return;
    case ShapeType::kTimestamp:
      CborHead(6, 1, out);  // tag 1, epoch time; AWS puts integer milliseconds in it
      CborInt(v.get<int64_t>(), out);
      return;
    case ShapeType::kBlob:
      if (v.is_binary()) {
        const auto& bin = v.get_binary();
        CborBytes(std::string_view(reinterpret_cast<const char*>(bin.data()), bin.size()), out);
      } else {
        CborBytes(v.is_string() ? v.get_ref<const std::string&>() : "", out);
      }
      return;
  }
}

std::string CborError(std::string_view type, std::string_view message_key, std::string_view message) {
  std::string out;
  CborHead(5, message.empty() ? 1 : 2, out);
  CborText("__type", out);
  CborText(type, out);
  if (!message.empty()) {
    CborText(message_key, out);
    CborText(message, out);
  }
  return out;
}

std::optional<Json> ParseBody(std::string_view body, WireProtocol protocol) {
  if (protocol == WireProtocol::kCbor) return ReadCbor(body);
  return ReadJson(body);
}

void EncodeOutput(const Shape& shape, const Json& value, WireProtocol protocol, std::string& out) {
  if (protocol == WireProtocol::kCbor) {
    EncodeCborOutput(shape, value, out);
  } else {
    EncodeJsonOutput(shape, value, out);
  }
}

}  // namespace kemu::api
