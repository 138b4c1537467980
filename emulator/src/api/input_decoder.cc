#include "api/input_decoder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <string>

#include "api/cbor_reader.h"
#include "api/input_validator.h"
#include "api/json_reader.h"
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
  if (v.is_array()) return SerializationError("Start of list found where not expected");
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

}  // namespace

std::optional<Json> ParseBody(std::string_view body, WireProtocol protocol) {
  if (protocol == WireProtocol::kCbor) return ReadCbor(body);
  return ReadJson(body);
}

Result<Json> DecodeInput(const Shape& input, const Json& body, WireProtocol protocol) {
  Json normalized;
  KEMU_RETURN_IF_ERROR(ConvertStructure(input, body, protocol, &normalized));
  KEMU_RETURN_IF_ERROR(ValidateInput(input, normalized));
  return normalized;
}

}  // namespace kemu::api
