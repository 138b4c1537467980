// The shared half of the plugin interface (kemu/fault_plugin.h): params checked against their specs, the
// catalogue entry, and the record choice of partial failures.
#include <algorithm>
#include <cmath>

#include "kemu/fault_plugin.h"

namespace kemu {

namespace {

Status Bad(const std::string& message) { return Status(ErrorCode::kInvalidArgument, message); }

const char* TypeName(ParamSpec::Type t) {
  switch (t) {
    case ParamSpec::Type::kNumber:
      return "number";
    case ParamSpec::Type::kInteger:
      return "integer";
    case ParamSpec::Type::kString:
      return "string";
    case ParamSpec::Type::kBoolean:
      return "boolean";
  }
  return "string";
}

std::string Bound(double v) {
  return std::floor(v) == v && std::fabs(v) < 1e15 ? std::to_string(static_cast<int64_t>(v)) : nlohmann::json(v).dump();
}

Status CheckValue(const ParamSpec& spec, const nlohmann::json& v) {
  const std::string field = "params." + spec.name;
  switch (spec.type) {
    case ParamSpec::Type::kNumber:
    case ParamSpec::Type::kInteger: {
      const bool integer = spec.type == ParamSpec::Type::kInteger;
      if (integer ? !v.is_number_integer() : !v.is_number()) {
        return Bad(field + " must be " + (integer ? "an integer" : "a number"));
      }
      const double d = v.get<double>();
      if ((spec.min && d < *spec.min) || (spec.max && d > *spec.max)) {
        return Bad(field + " must be between " + (spec.min ? Bound(*spec.min) : "-inf") + " and " +
                   (spec.max ? Bound(*spec.max) : "inf"));
      }
      return Status::Ok();
    }
    case ParamSpec::Type::kBoolean:
      return v.is_boolean() ? Status::Ok() : Bad(field + " must be true or false");
    case ParamSpec::Type::kString: {
      if (!v.is_string()) return Bad(field + " must be a string");
      const auto& s = v.get_ref<const std::string&>();
      if (!spec.choices.empty() && std::find(spec.choices.begin(), spec.choices.end(), s) == spec.choices.end()) {
        std::string names;
        for (const auto& c : spec.choices) names += (names.empty() ? "" : ", ") + c;
        return Bad(field + " must be one of " + names + "; got " + s);
      }
      if (spec.decimal &&
          (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
        return Bad(field + " must be a decimal number");
      }
      return Status::Ok();
    }
  }
  return Status::Ok();
}

}  // namespace

Result<nlohmann::json> CheckParams(const PluginInfo& plugin, const nlohmann::json& params) {
  if (!params.is_object()) return Bad("params must be an object");
  for (auto it = params.begin(); it != params.end(); ++it) {
    const bool known =
        std::any_of(plugin.params.begin(), plugin.params.end(), [&](const ParamSpec& s) { return s.name == it.key(); });
    if (!known) return Bad("params." + it.key() + " is not a parameter of " + plugin.name);
  }
  nlohmann::json out = nlohmann::json::object();
  for (const auto& spec : plugin.params) {
    auto it = params.find(spec.name);
    if (it == params.end() || it->is_null()) {
      if (spec.required) return Bad("params." + spec.name + " is required");
      if (!spec.default_value.is_null()) out[spec.name] = spec.default_value;
      continue;
    }
    KEMU_RETURN_IF_ERROR(CheckValue(spec, *it));
    out[spec.name] = *it;
  }
  return out;
}

nlohmann::json PluginCatalogueEntry(const PluginInfo& plugin) {
  nlohmann::json params = nlohmann::json::array();
  for (const auto& spec : plugin.params) {
    nlohmann::json p = {{"name", spec.name},
                        {"type", TypeName(spec.type)},
                        {"description", spec.description},
                        {"required", spec.required}};
    if (!spec.default_value.is_null()) p["default"] = spec.default_value;
    const bool integer = spec.type == ParamSpec::Type::kInteger;
    if (spec.min) p["min"] = integer ? nlohmann::json(static_cast<int64_t>(*spec.min)) : nlohmann::json(*spec.min);
    if (spec.max) p["max"] = integer ? nlohmann::json(static_cast<int64_t>(*spec.max)) : nlohmann::json(*spec.max);
    if (!spec.choices.empty()) p["choices"] = spec.choices;
    if (spec.decimal) p["decimal"] = true;
    params.push_back(std::move(p));
  }
  return {{"name", plugin.name}, {"description", plugin.description}, {"params", std::move(params)}};
}

std::vector<uint32_t> ChooseRecords(int n, double fraction, Random& random) {
  if (n <= 0 || fraction <= 0) return {};
  int k = static_cast<int>(fraction * n + 0.5);
  k = std::clamp(k, 1, n);
  std::vector<uint32_t> all(n);
  for (int i = 0; i < n; ++i) all[i] = static_cast<uint32_t>(i);
  for (int i = 0; i < k; ++i) {  // partial Fisher-Yates
    int j = i + static_cast<int>(random.Next() % static_cast<uint64_t>(n - i));
    std::swap(all[i], all[j]);
  }
  all.resize(k);
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace kemu
