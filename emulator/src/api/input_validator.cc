#include "api/input_validator.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace kemu::api {
namespace {

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

}  // namespace

Status ValidateInput(const Shape& input, const Json& normalized) {
  Validator validator;
  std::string path;
  validator.Check(input, normalized, path);
  return validator.Result();
}

}  // namespace kemu::api
