#include "kemu/fault_plugin.h"

#include <algorithm>

namespace kemu {

namespace {
Status Bad(const std::string& message) { return Status(ErrorCode::kInvalidArgument, message); }
}  // namespace

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

Status ParamNumber(const nlohmann::json& params, const char* name, double lo, double hi, double* out) {
  auto it = params.find(name);
  if (it == params.end()) return Status::Ok();
  if (!it->is_number()) return Bad(std::string("params.") + name + " must be a number");
  double v = it->get<double>();
  if (!(v >= lo && v <= hi)) {
    return Bad(std::string("params.") + name + " must be between " + nlohmann::json(lo).dump() + " and " +
               nlohmann::json(hi).dump());
  }
  *out = v;
  return Status::Ok();
}

Status ParamInteger(const nlohmann::json& params, const char* name, int64_t lo, int64_t hi, int64_t* out) {
  auto it = params.find(name);
  if (it == params.end()) return Status::Ok();
  if (!it->is_number_integer()) return Bad(std::string("params.") + name + " must be an integer");
  int64_t v = it->get<int64_t>();
  if (v < lo || v > hi) {
    return Bad(std::string("params.") + name + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  }
  *out = v;
  return Status::Ok();
}

Status ParamString(const nlohmann::json& params, const char* name, std::string* out) {
  auto it = params.find(name);
  if (it == params.end()) return Status::Ok();
  if (!it->is_string()) return Bad(std::string("params.") + name + " must be a string");
  *out = it->get<std::string>();
  return Status::Ok();
}

Status RejectUnknownParams(const nlohmann::json& params, const std::vector<std::string>& known) {
  for (auto it = params.begin(); it != params.end(); ++it) {
    bool ok = false;
    for (const auto& k : known) ok = ok || k == it.key();
    if (!ok) return Bad("params." + it.key() + " is not a parameter of this plugin");
  }
  return Status::Ok();
}

}  // namespace kemu
