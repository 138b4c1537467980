// FIS experiments: an AWS Fault Injection Service experiment template (the JSON `aws fis
// create-experiment-template` takes) run against the emulator, as fault rules.
//
// A thin layer over the FaultEngine, not a second engine: each action of the template becomes one rule per
// resolved target resource (a stream, or every call of an IAM role's account), tagged with the experiment's id as
// owner. FIS `percentage` is the rule's probability, `duration` its duration_ms, `startAfter` its start_in_ms (the
// end of the latest action it waits for), `operations` its set of operations. The experiment's state is derived
// from the emulator clock whenever it is asked for (no thread): `running` while an action is pending or running,
// `completed` once every action's duration has passed, `stopped` after Stop().
//
// Supported action ids: aws:kinesis:inject-api-provisioned-throughput-exception,
// aws:kinesis:inject-api-expired-iterator-exception, aws:fis:inject-api-throttle-error,
// aws:fis:inject-api-internal-error, aws:fis:inject-api-unavailable-error. Anything else is refused naming it.
// docs/admin_api.md#fis-experiments says what is ignored and what could not be confirmed against AWS.
//
// Ownership: borrows the engine, the backend and the clock, which outlive it.
// Thread-safety: every method of Experiments is safe to call concurrently.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"
#include "backend/backend.h"
#include "faults/fault_engine.h"
#include "kemu/clock.h"
#include "kemu/status.h"

namespace kemu {

enum class FisActionKind {
  kProvisionedThroughput,
  kExpiredIterator,
  kThrottleError,
  kInternalError,
  kUnavailableError
};
enum class FisResourceType { kKinesisStream, kIamRole };
enum class FisSelection { kAll, kCount, kPercent };
// What FIS does when a target resolves to no resource (experimentOptions.emptyTargetResolutionMode).
enum class EmptyTargetMode { kFail, kSkip };

struct FisTarget {
  std::string name;
  FisResourceType type = FisResourceType::kKinesisStream;
  std::vector<std::string> arns;            // resourceArns
  std::map<std::string, std::string> tags;  // resourceTags
  FisSelection selection = FisSelection::kAll;
  int64_t selection_n = 0;  // COUNT(n), PERCENT(n)
  Json view;                // as given
};

struct FisAction {
  std::string name;
  std::string action_id;
  FisActionKind kind = FisActionKind::kInternalError;
  std::vector<std::string> operations;  // empty: every operation the action applies to
  int percentage = 100;
  int64_t duration_ms = 0;
  std::vector<std::string> start_after;
  std::vector<std::string> targets;  // target names (the values of the action's `targets` map)
  int64_t start_offset_ms = 0;       // when it starts, from the experiment's start (from startAfter)
  Json view;                         // as given
};

struct ExperimentTemplate {
  std::string description;
  std::vector<FisAction> actions;  // in the template's order
  std::map<std::string, FisTarget> targets;
  EmptyTargetMode empty_targets = EmptyTargetMode::kFail;
  std::vector<std::string> notes;  // what the emulator accepted but does not do
};

// Parses and checks a template (or a get-experiment-template answer, {"experimentTemplate": {...}}) and orders
// its actions by startAfter. InvalidArgument names the field: "actions.A.parameters.duration must be ...".
Result<ExperimentTemplate> ParseExperimentTemplate(const Json& body);
// An ISO-8601 duration of hours, minutes and seconds ("PT5M", "PT1H30M", "PT90S", "PT0.5S") in milliseconds.
std::optional<int64_t> ParseIsoDuration(std::string_view text);

enum class ExperimentStatus { kRunning, kCompleted, kStopped };
enum class ActionStatus { kPending, kRunning, kCompleted, kStopped, kCancelled, kSkipped };
std::string_view ToString(ExperimentStatus status);
std::string_view ToString(ActionStatus status);

// The state machine, on the emulator clock: an action runs in [start_ms, end_ms); a stop at stopped_ms stops a
// running action and cancels a pending one.
ActionStatus ActionStatusAt(int64_t start_ms, int64_t end_ms, std::optional<int64_t> stopped_ms, int64_t now_ms);
// `end_ms` is the end of the last action.
ExperimentStatus ExperimentStatusAt(int64_t end_ms, std::optional<int64_t> stopped_ms, int64_t now_ms);

class Experiments {
 public:
  Experiments(FaultEngine& engine, Backend& backend, const Clock& clock);
  ~Experiments();

  // Parses `body`, resolves its targets against the streams that exist now and starts the experiment: its
  // rules are in the engine when this returns. The view, or InvalidArgument naming the field (nothing added).
  Result<Json> Start(const Json& body);
  Json List();
  std::optional<Json> Get(const std::string& id);
  // Stops a running experiment (its rules are removed; their statistics stay in the view). An experiment that
  // has ended stays as it is. nullopt: no such experiment.
  std::optional<Json> Stop(const std::string& id);
  void StopAll();
  // Forgets every experiment (the admin reset; the engine's rules are cleared by the caller).
  void Clear();

 private:
  struct Experiment;
  Json ViewLocked(Experiment& e);

  FaultEngine& engine_;
  Backend& backend_;
  const Clock& clock_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Experiment>> experiments_;
  uint64_t next_id_ = 1;
};

}  // namespace kemu
