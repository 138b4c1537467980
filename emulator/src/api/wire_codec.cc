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

Status SerializationError(std::string message) { return Status(ErrorCode::kSerialization, std::move(message)); }

const char* JavaTypeName(ShapeType t) {
  switch (t) {
    case ShapeType::kInteger:
      return "an Integer";
    case ShapeType::kLong:
      return "an Long";
    case ShapeType::kBoolean:
      return "an Boolean";
    case ShapeType::kString:
      return "an String";
    case ShapeType::kBlob:
      return "a Blob";
    default:
      return "an Object";
  }
}

// Message for a JSON value whose kind does not fit `expected` (Coral's wording, as AWS answers it).
Status TypeMismatch(ShapeType expected, const Json& v) {
  if (v.is_array()) {
    if (expected == ShapeType::kStructure || expected == ShapeType::kMap)
      return SerializationError("Start of list found where not expected");
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
      if (v.is_string())
        return SerializationError("class java.lang.String can not be converted to milliseconds since epoch");
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

// Coral's refusal of a blob that is not canonical padded base64, with its three texts (the last one's spelling is
// AWS's).
Status Base64Error(const std::string& text) {
  const std::string head = "'" + text + "' can not be converted to a Blob: ";
  if (text.size() % 4 != 0) {
    return SerializationError(
        head + "Base64 encoded length is expected a multiple of 4 bytes but found: " + std::to_string(text.size()));
  }
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool alphabet =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
    if (!alphabet || (c == '=' && i + 1 < text.size() && text[i + 1] != '=')) {
      return SerializationError(head + "Invalid Base64 character: '" + std::string(1, c) + "'");
    }
  }
  return SerializationError(head + "Invalid last non-pad Base64 character dectected");
}

// True when the bits after the last data character are zero ("QQ==", not "QR=="), as a strict decoder requires.
bool CanonicalBase64Tail(std::string_view text) {
  if (text.size() < 4 || text.back() != '=') return true;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    return c == '+' ? 62 : 63;
  };
  const bool two_pads = text[text.size() - 2] == '=';
  const int last = value(text[text.size() - (two_pads ? 3 : 2)]);
  return (last & (two_pads ? 0x0f : 0x03)) == 0;
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
      if (!bytes || !CanonicalBase64Tail(text)) return Base64Error(text);
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
int64_t Utf16Length(std::string_view s) {
  int64_t n = 0;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    n += (c >= 0xF0) ? 2 : 1;
  }
  return n;
}

std::string LengthAtMost(int64_t n) { return "Member must have length less than or equal to " + std::to_string(n); }
std::string LengthAtLeast(int64_t n) { return "Member must have length greater than or equal to " + std::to_string(n); }

std::string EnumSet(const Shape& shape) {
  std::string set = "Member must satisfy enum value set: [";
  for (size_t i = 0; i < shape.enum_values.size(); ++i) {
    if (i) set += ", ";
    set += shape.enum_values[i];
  }
  return set + "]";
}

// Every constraint of a list member's or map key's or value's shape, as Coral lists them inside "[...]" when one
// of the elements fails: the bounds maximum first, as AWS prints them.
std::string ConstraintList(const Shape& shape) {
  std::string list;
  auto add = [&list](const std::string& c) { list += (list.empty() ? "" : ", ") + c; };
  if (!shape.enum_values.empty()) add(EnumSet(shape));
  if (!shape.pattern_text.empty()) add("Member must satisfy regular expression pattern: " + shape.pattern_text);
  if (shape.max) add(LengthAtMost(*shape.max));
  if (shape.min) add(LengthAtLeast(*shape.min));
  return "[" + list + "]";
}

// True when a string value satisfies every constraint of `shape` (used for list members and map entries).
bool StringSatisfies(const Shape& shape, std::string_view s) {
  const int64_t len = Utf16Length(s);
  if ((shape.min && len < *shape.min) || (shape.max && len > *shape.max)) return false;
  if (!shape.enum_values.empty() &&
      std::find(shape.enum_values.begin(), shape.enum_values.end(), s) == shape.enum_values.end()) {
    return false;
  }
  return shape.MatchesPattern(s);
}

bool HasStringConstraints(const Shape& shape) {
  return shape.type == ShapeType::kString &&
         (shape.min || shape.max || !shape.enum_values.empty() || !shape.pattern_text.empty());
}

// A structure inside a rendered list or map, as Java's Object.toString() prints a Coral model object: the class
// name and a hash. The hash is derived from the value, so the same request always gets the same message.
void AppendObjectName(const Shape& shape, const Json& v, std::string& out) {
  uint32_t h = 2166136261u;  // FNV-1a over the members' text, a stand-in for Java's identity hash
  for (auto it = v.begin(); it != v.end(); ++it) {
    for (char c : it.key()) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    if (it->is_string()) {
      for (char c : it->get_ref<const std::string&>()) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    } else if (it->is_binary()) {
      for (uint8_t c : it->get_binary()) h = (h ^ c) * 16777619u;
    }
  }
  char hex[9];
  std::snprintf(hex, sizeof(hex), "%x", h);
  out += "com.amazonaws.kinesis.v20131202.";
  out += shape.name;
  out += '@';
  out += hex;
}

// A value as Coral prints it in "Value '...' at": strings as they are, blobs as the ByteBuffer's toString(),
// lists and maps as Java collections, structures as objects.
void AppendRendered(const Shape& shape, const Json& v, std::string& out) {
  if (v.is_null()) {
    out += "null";
  } else if (v.is_binary()) {
    const auto n = std::to_string(v.get_binary().size());
    out += "java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]";
  } else if (v.is_string()) {
    out += v.get_ref<const std::string&>();
  } else if (v.is_boolean()) {
    out += v.get<bool>() ? "true" : "false";
  } else if (v.is_number()) {
    out += v.dump();
  } else if (shape.type == ShapeType::kList && v.is_array()) {
    out += '[';
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out += ", ";
      AppendRendered(*shape.member, v[i], out);
    }
    out += ']';
  } else if (shape.type == ShapeType::kMap && v.is_object()) {
    out += '{';
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!first) out += ", ";
      first = false;
      out += it.key();
      out += '=';
      AppendRendered(*shape.value, *it, out);
    }
    out += '}';
  } else {
    AppendObjectName(shape, v, out);
  }
}

// Collects constraint violations in Coral's order and wording. Stops at the tenth, as AWS lists at most ten (and its
// header counts the ones it lists), so a 100,000-element list of bad values costs ten messages, not 100,000.
class Validator {
 public:
  static constexpr size_t kMaxErrors = 10;

  // `path` is the member path of `v` ("records.3.member.data"); it is extended in place for the children and
  // restored after each, so checking a request costs no string per member. `v` has been converted (Convert), so
  // its kinds match the shape.
  void Check(const Shape& shape, const Json& v, std::string& path) {
    if (v.is_null() || full()) return;
    const size_t mark = path.size();
    switch (shape.type) {
      case ShapeType::kStructure:
        for (const auto& m : shape.members) {
          if (full()) return;
          if (!path.empty()) path += '.';
          path += m.error_name;
          auto it = v.find(m.name);
          if (it == v.end() || it->is_null()) {
            if (m.required) AddNull(path);
          } else {
            CheckOwnConstraints(*m.shape, *it, path);
            Check(*m.shape, *it, path);
          }
          path.resize(mark);
        }
        break;
      case ShapeType::kList:
        CheckListMembers(shape, v, path);
        break;
      case ShapeType::kMap:
        CheckMapEntries(shape, v, path);
        break;
      default:
        break;
    }
  }

  // Constraints on the value itself: enum, pattern, length/size, numeric range.
  void CheckOwnConstraints(const Shape& shape, const Json& v, const std::string& path) {
    switch (shape.type) {
      case ShapeType::kString: {
        const auto& s = v.get_ref<const std::string&>();
        if (!shape.enum_values.empty() &&
            std::find(shape.enum_values.begin(), shape.enum_values.end(), s) == shape.enum_values.end()) {
          Fail(shape, v, path, EnumSet(shape));
        }
        if (!shape.MatchesPattern(s)) {
          Fail(shape, v, path, "Member must satisfy regular expression pattern: " + shape.pattern_text);
        }
        CheckLength(shape, v, path, Utf16Length(s));
        break;
      }
      case ShapeType::kBlob:
        CheckLength(shape, v, path, static_cast<int64_t>(v.get_binary().size()));
        break;
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        const int64_t n = v.get<int64_t>();
        if (shape.min && n < *shape.min) {
          Fail(shape, v, path, "Member must have value greater than or equal to " + std::to_string(*shape.min));
        }
        if (shape.max && n > *shape.max) {
          Fail(shape, v, path, "Member must have value less than or equal to " + std::to_string(*shape.max));
        }
        break;
      }
      case ShapeType::kList:
      case ShapeType::kMap:
        CheckLength(shape, v, path, static_cast<int64_t>(v.size()));
        break;
      default:
        break;
    }
  }

  Status Result() const {
    if (errors_.empty()) return Status::Ok();
    std::string msg =
        std::to_string(errors_.size()) + " validation error" + (errors_.size() > 1 ? "s" : "") + " detected: ";
    for (size_t i = 0; i < errors_.size(); ++i) {
      if (i) msg += "; ";
      msg += errors_[i];
    }
    return Status(ErrorCode::kValidation, std::move(msg));
  }

 private:
  bool full() const { return errors_.size() >= kMaxErrors; }

  void CheckLength(const Shape& shape, const Json& v, const std::string& path, int64_t len) {
    if (shape.min && len < *shape.min) Fail(shape, v, path, LengthAtLeast(*shape.min));
    if (shape.max && len > *shape.max) Fail(shape, v, path, LengthAtMost(*shape.max));
  }

  // Scalar members with constraints are checked as one: a failing element makes one error at the list, showing
  // the whole list. Structures are checked member by member at "list.N.member".
  void CheckListMembers(const Shape& shape, const Json& v, std::string& path) {
    const size_t mark = path.size();
    const bool scalar_rules = HasStringConstraints(*shape.member);
    bool scalar_failed = false;
    for (size_t i = 0; i < v.size() && !full(); ++i) {
      const Json& e = v[i];
      if (e.is_null()) {
        path += '.';
        path += std::to_string(i + 1);
        path += ".member";
        AddNull(path);
        path.resize(mark);
      } else if (scalar_rules) {
        scalar_failed = scalar_failed || !StringSatisfies(*shape.member, e.get_ref<const std::string&>());
      } else if (shape.member->type == ShapeType::kStructure || shape.member->type == ShapeType::kList ||
                 shape.member->type == ShapeType::kMap) {
        path += '.';
        path += std::to_string(i + 1);
        path += ".member";
        CheckOwnConstraints(*shape.member, e, path);
        Check(*shape.member, e, path);
        path.resize(mark);
      }
    }
    if (scalar_failed) Fail(shape, v, path, "Member must satisfy constraint: " + ConstraintList(*shape.member));
  }

  void CheckMapEntries(const Shape& shape, const Json& v, const std::string& path) {
    bool key_failed = false, value_failed = false;
    const bool key_rules = HasStringConstraints(*shape.key);
    const bool value_rules = HasStringConstraints(*shape.value);
    for (auto it = v.begin(); it != v.end() && !(key_failed && value_failed); ++it) {
      if (key_rules && !key_failed) key_failed = !StringSatisfies(*shape.key, it.key());
      if (value_rules && !value_failed && it->is_string()) {
        value_failed = !StringSatisfies(*shape.value, it->get_ref<const std::string&>());
      }
    }
    if (key_failed) Fail(shape, v, path, "Map keys must satisfy constraint: " + ConstraintList(*shape.key));
    if (value_failed) Fail(shape, v, path, "Map value must satisfy constraint: " + ConstraintList(*shape.value));
  }

  void AddNull(const std::string& path) {
    if (full()) return;
    errors_.push_back("Value null at '" + path + "' failed to satisfy constraint: Member must not be null");
  }

  void Fail(const Shape& shape, const Json& v, const std::string& path, const std::string& constraint) {
    if (full()) return;
    std::string e = "Value '";
    AppendRendered(shape, v, e);
    e += "' at '" + path + "' failed to satisfy constraint: " + constraint;
    errors_.push_back(std::move(e));
  }

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
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
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
