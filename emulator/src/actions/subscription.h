// Subscription: one live SubscribeToShard stream, as a sequence of steps the transport pulls.
//
// The action (subscribe_to_shard.cc) checks the request, takes the (consumer, shard) lease and creates the
// Subscription; the HTTP layer then frames its steps as event-stream messages. Next() never blocks: it says what
// is due now: a SubscribeToShardEvent (records from the current position, at once when they are stored, or an
// empty one after kHeartbeat of quiet), an exception (an injected fault, the stream or shard gone), the end (5
// minutes of Clock time, the shard-end event sent, the server resetting or stopping), or nothing yet. Wait()
// blocks until there may be something. The position only moves forward: ContinuationSequenceNumber is the last
// sequence number delivered (or the one before the position), so AFTER_SEQUENCE_NUMBER resumes exactly there.
//
// Ownership: borrows the Backend, which outlives every subscription (the server ends them before it stops).
// Thread-safety: one thread at a time drives a Subscription; many Subscriptions run concurrently.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "actions/action.h"
#include "api/json.h"
#include "backend/backend.h"
#include "kemu/fault_plugin.h"

namespace kemu::actions {

struct SubscriptionTarget {
  StreamKey stream;
  std::string consumer_name;
  std::string consumer_arn;
  uint32_t shard_index = 0;
};

class Subscription {
 public:
  static constexpr int64_t kLifetimeMs = 5 * 60 * 1000;  // of Clock time
  static constexpr std::chrono::milliseconds kHeartbeat{5000};
  static constexpr int kMaxRecordsPerEvent = 10000;
  static constexpr size_t kMaxBytesPerEvent = 2 * 1024 * 1024;

  // `lease` was taken on `lease_key` in the backend's SubscriptionHub; the destructor gives it back.
  Subscription(Backend& backend, SubscriptionTarget target, uint64_t next_counter, int64_t started_ms,
               std::string lease_key, uint64_t lease);
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // Consulted before every event is read (as a GetRecords call would be): an error becomes an exception step, a
  // wire fault travels with the event (Step::wire), a delay holds the event back; the hook makes state changes
  // itself.
  using FaultHook = std::function<FaultEffect()>;
  void SetFaultHook(FaultHook hook) { fault_hook_ = std::move(hook); }

  struct Step {
    enum class Kind { kIdle, kEvent, kError, kEnd };
    Kind kind = Kind::kIdle;
    Json event;      // kEvent: the normalized SubscribeToShardEvent
    Status error;    // kError
    WireFault wire;  // kEvent: how this event and the rest of the stream travel (an injected fault)
  };
  Step Next();
  // Blocks until Next() may have a step: a change in the backend, the heartbeat, or at most `timeout`.
  void Wait(std::chrono::milliseconds timeout);

  SubscriptionHub& hub() { return backend_.subscriptions(); }
  const SubscriptionTarget& target() const { return target_; }

 private:
  Step Look(bool heartbeat_due);
  Step Finish(Step step);

  Backend& backend_;
  SubscriptionTarget target_;
  uint64_t next_counter_;
  const int64_t started_ms_;
  const uint64_t epoch_;
  std::string lease_key_;
  uint64_t lease_;
  FaultHook fault_hook_;
  std::optional<std::chrono::steady_clock::time_point> held_until_;  // an injected delay before the next event
  std::optional<WireFault> wire_;                                    // an injected wire fault for the next event
  uint64_t seen_generation_ = 0;
  bool sent_any_ = false;
  bool more_pending_ = false;  // the last event stopped at a size limit
  bool done_ = false;
  std::optional<int64_t> reshard_at_ms_;  // Clock time a pending reshard of the stream applies
  std::chrono::steady_clock::time_point last_event_;
};

}  // namespace kemu::actions
