// ApiModel: the Kinesis API model (operations, shapes, member constraints), interpreted at run time.
//
// The model is data derived from botocore's service-2.json (tools/strip_api_model.py) and embedded in the
// binary. Input validation and output encoding walk these shapes, so constraints are written once, in the model,
// and never by hand per action.
//
// Thread-safety: built once on first use; immutable afterwards and safe to share.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/pattern_matcher.h"

namespace kemu::api {

enum class ShapeType { kStructure, kString, kInteger, kLong, kBoolean, kBlob, kTimestamp, kList, kMap };

struct Shape {
  struct Member {
    std::string name;        // as on the wire, e.g. "StreamName"
    std::string error_name;  // as in validation messages, e.g. "streamName"
    std::string json_key;    // the member's key as the JSON encoder writes it: "\"StreamName\":"
    const Shape* shape = nullptr;
    bool required = false;
  };

  std::string name;
  ShapeType type = ShapeType::kString;
  std::optional<int64_t> min;
  std::optional<int64_t> max;
  std::string pattern_text;  // empty: no pattern
  std::vector<std::string> enum_values;
  std::vector<Member> members;
  const Shape* member = nullptr;  // list element
  const Shape* key = nullptr;     // map key
  const Shape* value = nullptr;   // map value
  bool eventstream = false;

  const Member* FindMember(std::string_view wire_name) const;
  // True when `value` satisfies the shape's pattern (or there is none).
  bool MatchesPattern(std::string_view value) const { return !pattern_ || pattern_->Matches(value); }
  // Sets pattern_text and compiles its matcher (once, when the model is loaded; see PatternMatcher).
  void SetPattern(std::string pattern);

 private:
  std::optional<PatternMatcher> pattern_;
};

struct Operation {
  std::string name;
  const Shape* input = nullptr;
  const Shape* output = nullptr;  // nullptr: the output is Unit (empty body)
  std::vector<std::string> errors;
};

class ApiModel {
 public:
  // The embedded Kinesis 2013-12-02 model.
  static const ApiModel& Kinesis();

  const Operation* FindOperation(std::string_view name) const;
  const Shape* FindShape(std::string_view name) const;
  const std::string& target_prefix() const { return target_prefix_; }
  std::vector<std::string> OperationNames() const;

  // Builds a model from the stripped JSON text (exposed for tests).
  static std::unique_ptr<ApiModel> Parse(std::string_view json_text);

 private:
  std::string target_prefix_;
  std::unordered_map<std::string, std::unique_ptr<Shape>> shapes_;
  std::unordered_map<std::string, Operation> operations_;
};

}  // namespace kemu::api
