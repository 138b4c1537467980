// Fault plugins: small classes that decide the effect of an injected fault, and nothing else.
//
// The fault engine (one per server) owns everything shared: matching a call against a rule, probability with a
// seeded generator, count/after/duration, the statistics, and checking a rule's params against the plugin's
// ParamSpecs (types, ranges, choices, defaults) before the plugin sees them. A plugin reads its validated params
// once, when the rule is created, and then, for each call a rule fires on, returns a FaultEffect: a combination of
// the parts the emulator already knows how to apply (fail the call, wait, change the stream's shards, fail some of
// a PutRecords' records, disturb the connection). A plugin with a new combination therefore touches nothing but its
// own folder and one line in plugins/builtin_plugins.def (or, for a test author's own plugin, one entry in
// ServerOptions::install_plugins, or EmulatorConfig::plugins in the fixture). AWS's error texts come from
// kemu/messages.h, shared with the actions.
//
// Plugins are registered explicitly in a PluginRegistry that belongs to one server instance; nothing registers
// itself statically, so two servers in one process never share plugins or rules.
//
// Thread-safety: Apply() is const and may be called from many threads at once; Configure() runs once, before the
// plugin is shared. FaultEffect::change runs on the calling thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kemu/random.h"
#include "kemu/status.h"

namespace kemu {

// The call a rule is matched against and a plugin decides on, as the actions layer resolved it.
struct FaultContext {
  std::string_view operation;  // e.g. "PutRecords"
  std::string_view stream;     // stream name, empty when the call names none
  std::string_view shard;      // shard id, when the call targets one shard (a PutRecord: the shard it routes to)
  std::string_view region;
  std::string_view account;
  std::string_view consumer;       // consumer ARN
  std::string_view partition_key;  // PutRecord: the record's partition key
  bool stream_encrypted = false;
  int record_count = 0;  // PutRecords: how many records the call carries
  int64_t now_ms = 0;    // the emulator's clock
};

// Changes a fault may make to the emulator's state before the call runs, on the shard the call targets.
// Implemented by the emulator; a plugin reaches it through FaultEffect::change.
class FaultActions {
 public:
  virtual ~FaultActions() = default;
  // Splits the call's shard at `new_starting_hash_key` (decimal; empty: the middle of its range). The split is
  // immediate, even when --update-stream-ms makes a SplitShard call wait.
  virtual Status SplitShard(std::string_view new_starting_hash_key) = 0;
  // Merges the call's shard with an adjacent open shard (the next one, else the previous one), immediately.
  virtual Status MergeShard() = 0;
};

// How the answer travels. Every transport (HTTP/1.1, HTTP/2, TLS) honours every field. On a plain call the
// fields apply to the answer's body; on a SubscribeToShard event stream, from the event the rule fired on to the
// end of the stream. Byte offsets (`*_at_bytes`) count from the start of that body or event; kHalf means half
// of it.
struct WireFault {
  static constexpr int64_t kHalf = -1;

  // Before answering: the connection is closed without an answer (over HTTP/2 too, with every stream on it). On an
  // event stream: reset before the event.
  bool drop = false;
  // In the middle of the answer: after `reset_at_bytes` of it, the connection is reset (HTTP/1.1 and TLS: a TCP
  // RST; HTTP/2: RST_STREAM INTERNAL_ERROR on the call's stream, or GOAWAY INTERNAL_ERROR and a closed connection
  // when `reset_whole_connection`). Unset: no reset.
  std::optional<int64_t> reset_at_bytes;
  bool reset_whole_connection = false;
  // Throughput cap, in bytes per second (0: none).
  int64_t bytes_per_second = 0;
  // Written in pieces of `slice_bytes` with `slice_delay` between them (0: not sliced).
  int64_t slice_bytes = 0;
  std::chrono::milliseconds slice_delay{0};
  // After `stall_at_bytes`, nothing more is sent for `stall_for` (zero: until the rule is removed or its
  // duration_ms ends); the connection stays open. Unset: no stall.
  std::optional<int64_t> stall_at_bytes;
  std::chrono::milliseconds stall_for{0};
  // Slow close: the answer's last byte goes out, its end (HTTP/1.1: the connection's close, the body being
  // delimited by it; a chunked stream's last chunk; HTTP/2: END_STREAM) only `close_delay` later.
  std::chrono::milliseconds close_delay{0};
  // Set by the engine, not the plugin: true while the rule that decided this fault exists and has not expired.
  std::function<bool()> rule_live;

  // True when the answer's bytes are shaped (anything beyond `drop`).
  bool shapes() const {
    return reset_at_bytes.has_value() || bytes_per_second > 0 || slice_bytes > 0 || stall_at_bytes.has_value() ||
           close_delay.count() > 0;
  }
};

// What a rule does to one call. The parts apply in this order: `change`, `delay`, `error` (the call fails and the
// action does not run), `failed_records` (the action runs; these records fail on their own), `wire`. A
// SubscribeToShard stream consults the rules before each event: `error` becomes an exception event that ends the
// stream, `delay` holds the event back, `wire` shapes the stream from that event on (`drop` resets it).
struct FaultEffect {
  std::function<Status(FaultActions&)> change;  // a state change; its failure is logged, the call goes on
  std::chrono::milliseconds delay{0};
  Status error;                          // non-OK: the call fails with it (mapped like any error)
  std::vector<uint32_t> failed_records;  // PutRecords: indices (into the request) of the records that fail...
  ErrorCode record_error = ErrorCode::kProvisionedThroughputExceeded;  // ...with this code
  WireFault wire;
  bool pass = false;  // the plugin does not apply to this call: the rule is not counted as fired, the next one may

  static FaultEffect Pass() {
    FaultEffect e;
    e.pass = true;
    return e;
  }
  static FaultEffect Fail(Status error) {
    FaultEffect e;
    e.error = std::move(error);
    return e;
  }
};

// One parameter of a plugin, described once: the admin catalogue (GET /_emulator/plugins), the validation of a
// rule's params and the fixture's generic Fault::Plugin all come from it. Built fluently:
//   ParamSpec::Number("fraction", "share of the records that fail").Range(0, 1).Default(0.5)
struct ParamSpec {
  enum class Type { kNumber, kInteger, kString, kBoolean };
  std::string name;
  Type type = Type::kString;
  std::string description;
  bool required = false;
  nlohmann::json default_value;      // null: none (the plugin's own default, or required)
  std::optional<double> min, max;    // numbers and integers
  std::vector<std::string> choices;  // strings: the allowed values (empty: any)
  bool decimal = false;              // strings: decimal digits only (a hash key)

  static ParamSpec Number(std::string name, std::string description) {
    return Of(Type::kNumber, std::move(name), std::move(description));
  }
  static ParamSpec Integer(std::string name, std::string description) {
    return Of(Type::kInteger, std::move(name), std::move(description));
  }
  static ParamSpec String(std::string name, std::string description) {
    return Of(Type::kString, std::move(name), std::move(description));
  }
  static ParamSpec Boolean(std::string name, std::string description) {
    return Of(Type::kBoolean, std::move(name), std::move(description));
  }
  ParamSpec Required() const {
    return With([](ParamSpec& s) { s.required = true; });
  }
  ParamSpec Default(nlohmann::json value) const {
    return With([&](ParamSpec& s) { s.default_value = std::move(value); });
  }
  ParamSpec Range(double lo, double hi) const {
    return With([&](ParamSpec& s) {
      s.min = lo;
      s.max = hi;
    });
  }
  ParamSpec Choices(std::vector<std::string> values) const {
    return With([&](ParamSpec& s) { s.choices = std::move(values); });
  }
  ParamSpec Decimal() const {
    return With([](ParamSpec& s) { s.decimal = true; });
  }

 private:
  static ParamSpec Of(Type type, std::string name, std::string description) {
    ParamSpec s;
    s.type = type;
    s.name = std::move(name);
    s.description = std::move(description);
    return s;
  }
  template <typename F>
  ParamSpec With(F&& f) const {
    ParamSpec s = *this;
    f(s);
    return s;
  }
};

// A rule's params after the engine checked them against the ParamSpecs: every present value has its declared type
// and range, and defaults are filled in. Reading a param that is absent gives the type's zero value.
class FaultParams {
 public:
  explicit FaultParams(nlohmann::json values) : values_(std::move(values)) {}
  bool Has(const std::string& name) const { return values_.contains(name); }
  double Number(const std::string& name) const { return values_.value(name, 0.0); }
  int64_t Integer(const std::string& name) const { return values_.value(name, int64_t{0}); }
  std::string String(const std::string& name) const { return values_.value(name, std::string()); }
  bool Boolean(const std::string& name) const { return values_.value(name, false); }
  const nlohmann::json& json() const { return values_; }

 private:
  nlohmann::json values_;
};

class FaultPlugin {
 public:
  virtual ~FaultPlugin() = default;
  // Keeps what it needs of `params` (already checked against the specs). A non-OK status (a check the specs cannot
  // express) refuses the rule with 400 and names the field.
  virtual Status Configure(const FaultParams& /*params*/) { return Status::Ok(); }
  // Decides the effect on one call the rule fired on. `random` is the rule's seeded generator.
  virtual FaultEffect Apply(const FaultContext& call, Random& random) const = 0;
};

struct PluginInfo {
  std::string name;
  std::string description;
  std::vector<ParamSpec> params;
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

// Checks `params` (a JSON object) against the plugin's specs: unknown names, types, ranges, choices, required ones.
// Returns the params with defaults filled in, or InvalidArgument naming the field ("params.fraction must be ...").
Result<nlohmann::json> CheckParams(const PluginInfo& plugin, const nlohmann::json& params);
// The plugin as the admin catalogue shows it: name, description, and each param's type, bounds, default, choices.
nlohmann::json PluginCatalogueEntry(const PluginInfo& plugin);

// Picks round(fraction * n) distinct record indices (at least one when fraction > 0), in ascending order.
std::vector<uint32_t> ChooseRecords(int n, double fraction, Random& random);

}  // namespace kemu
