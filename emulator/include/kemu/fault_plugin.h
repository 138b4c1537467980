// Fault plugins: small classes that decide the effect of an injected fault, and nothing else.
//
// The fault engine (one per server) owns everything shared: matching a call against a rule, probability with a
// seeded generator, count/after/duration, and statistics. A plugin validates its parameters once, when the rule
// is created (so a bad rule is refused with 400), and then, for each call a rule fires on, says what happens.
// Plugins are registered explicitly in a PluginRegistry that belongs to one server instance; nothing registers
// itself statically, so two servers in one process never share plugins or rules.
//
// Thread-safety: Apply() is const and may be called from many threads at once; Configure() runs once, before the
// plugin is shared.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "kemu/random.h"
#include "kemu/status.h"

namespace kemu {

// The call a rule is matched against and a plugin decides on.
struct FaultContext {
  std::string_view operation;  // e.g. "PutRecords"
  std::string_view stream;     // stream name, empty when the call names none
  std::string_view shard;      // shard id, when the call targets one shard
  std::string_view region;
  std::string_view account;
  std::string_view consumer;   // consumer ARN
  bool stream_encrypted = false;
  int record_count = 0;  // PutRecords: how many records the call carries
  int64_t now_ms = 0;
};

// What happens to a call.
struct FaultEffect {
  enum class Kind {
    kPass,            // the call proceeds untouched
    kError,           // the call fails with `error` (mapped to __type and status by the one error table)
    kDelay,           // the call proceeds after `delay_ms`
    kPartialFailure,  // PutRecords: `fraction` of its records fail with `error` (code and message per record)
    kDropConnection,  // the connection is closed without a response
    kReshard,         // the call's shard is split (or merged) before the call proceeds
  };
  Kind kind = Kind::kPass;
  Status error;
  int64_t delay_ms = 0;
  double fraction = 0;
  bool merge = false;  // kReshard: merge with the adjacent shard instead of splitting
  std::string new_starting_hash_key;  // kReshard split point; empty: the middle
  std::vector<uint32_t> failed_records;  // kPartialFailure: indices (into the request) of the records that fail

  static FaultEffect Pass() { return {}; }
  static FaultEffect Fail(Status error) {
    FaultEffect e;
    e.kind = Kind::kError;
    e.error = std::move(error);
    return e;
  }
};

class FaultPlugin {
 public:
  virtual ~FaultPlugin() = default;
  // Validates and keeps `params` (a JSON object, possibly empty). A non-OK status names the offending field.
  virtual Status Configure(const nlohmann::json& params) = 0;
  // Decides the effect on one call the rule fired on. `random` is the rule's seeded generator.
  virtual FaultEffect Apply(const FaultContext& call, Random& random) const = 0;
};

struct PluginInfo {
  std::string name;
  std::string description;
  nlohmann::json params;  // name -> description of each parameter
  std::function<std::unique_ptr<FaultPlugin>()> make;
};

// The plugins one server knows. Not thread-safe to modify; filled before the server starts.
class PluginRegistry {
 public:
  void Add(PluginInfo info) { plugins_[info.name] = std::move(info); }
  const PluginInfo* Find(const std::string& name) const {
    auto it = plugins_.find(name);
    return it == plugins_.end() ? nullptr : &it->second;
  }
  const std::map<std::string, PluginInfo>& all() const { return plugins_; }

 private:
  std::map<std::string, PluginInfo> plugins_;
};

// Picks round(fraction * n) distinct record indices (at least one when fraction > 0), in ascending order.
std::vector<uint32_t> ChooseRecords(int n, double fraction, Random& random);

// Helpers for plugins' Configure(): typed parameter reads with errors that name the field.
Status ParamNumber(const nlohmann::json& params, const char* name, double lo, double hi, double* out);
Status ParamInteger(const nlohmann::json& params, const char* name, int64_t lo, int64_t hi, int64_t* out);
Status ParamString(const nlohmann::json& params, const char* name, std::string* out);
Status RejectUnknownParams(const nlohmann::json& params, const std::vector<std::string>& known);

}  // namespace kemu
