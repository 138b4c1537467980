#include "actions/subscription.h"

#include <algorithm>

#include "actions/common.h"

namespace kemu::actions {
namespace {

Subscription::Step EndStep() {
  Subscription::Step step;
  step.kind = Subscription::Step::Kind::kEnd;
  return step;
}

Subscription::Step ErrorStep(Status error) {
  Subscription::Step step;
  step.kind = Subscription::Step::Kind::kError;
  step.error = std::move(error);
  return step;
}

}  // namespace

Subscription::Subscription(Backend& backend, SubscriptionTarget target, uint64_t next_counter, int64_t started_ms,
                           std::string lease_key, uint64_t lease)
    : backend_(backend),
      target_(std::move(target)),
      next_counter_(next_counter),
      started_ms_(started_ms),
      epoch_(backend.subscriptions().epoch()),
      lease_key_(std::move(lease_key)),
      lease_(lease),
      last_event_(std::chrono::steady_clock::now()) {}

Subscription::~Subscription() { hub().Release(lease_key_, lease_); }

Subscription::Step Subscription::Finish(Step step) {
  done_ = true;
  hub().Release(lease_key_, lease_);
  return step;
}

Subscription::Step Subscription::Next() {
  if (done_) return EndStep();
  if (hub().shutting_down() || hub().epoch() != epoch_) return Finish(EndStep());
  if (backend_.clock().NowMillis() - started_ms_ >= kLifetimeMs) return Finish(EndStep());
  const bool heartbeat_due = !sent_any_ || std::chrono::steady_clock::now() - last_event_ >= kHeartbeat;
  const uint64_t generation = hub().generation();
  // A pending reshard closes the shard when the Clock passes its time, not on a change the hub announces.
  const bool reshard_due = reshard_at_ms_ && backend_.clock().NowMillis() >= *reshard_at_ms_;
  if (generation == seen_generation_ && !heartbeat_due && !more_pending_ && !reshard_due) return Step{};
  // Read the generation before the state: an append after this point changes it again, so it is never missed.
  seen_generation_ = generation;
  return Look(heartbeat_due);
}

void Subscription::Wait(std::chrono::milliseconds timeout) {
  if (done_ || more_pending_) return;
  const auto until_heartbeat = std::chrono::duration_cast<std::chrono::milliseconds>(last_event_ + kHeartbeat -
                                                                                     std::chrono::steady_clock::now());
  auto wait = std::clamp(until_heartbeat, std::chrono::milliseconds(0), timeout);
  if (held_until_) {  // wake when a held-back event is due
    wait = std::min(wait, std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                     *held_until_ - std::chrono::steady_clock::now())));
  }
  hub().WaitForChange(seen_generation_, wait);
}

Subscription::Step Subscription::Look(bool heartbeat_due) {
  const int64_t now_ms = backend_.clock().NowMillis();
  auto stream = backend_.GetStream(target_.stream);
  if (!stream.ok()) return Finish(ErrorStep(stream.status()));
  reshard_at_ms_.reset();
  if (stream->pending_reshard) reshard_at_ms_ = stream->transition_at_ms;
  const ConsumerInfo* consumer = stream->FindConsumer(target_.consumer_name);
  if (consumer == nullptr || consumer->arn != target_.consumer_arn || consumer->status == ConsumerStatus::kDeleting) {
    return Finish(
        ErrorStep(Status(ErrorCode::kResourceNotFound, ConsumerNotFoundMessage(target_.consumer_arn, target_.stream))));
  }
  const ShardInfo* shard = stream->FindShard(target_.shard_index);
  if (shard == nullptr) {
    return Finish(ErrorStep(Status(ErrorCode::kResourceNotFound,
                                   ShardNotFoundMessage(target_.shard_index, stream->name, stream->account))));
  }
  const bool has_new = next_counter_ < shard->next_counter;
  if (!has_new && !heartbeat_due && shard->open()) return Step{};

  // A held-back event goes out when its delay is over, without asking the rules again.
  if (held_until_) {
    if (std::chrono::steady_clock::now() < *held_until_) return Step{};
    held_until_.reset();
  } else if (fault_hook_) {
    FaultEffect effect = fault_hook_();
    if (!effect.pass) {
      if (!effect.error.ok()) return Finish(ErrorStep(effect.error));
      if (effect.wire.drop || effect.wire.shapes()) wire_ = std::move(effect.wire);
      if (effect.change) {
        // The hook split or merged the shard: look at it again.
        auto again = backend_.GetStream(target_.stream);
        if (again.ok()) stream = std::move(again);
        shard = stream->FindShard(target_.shard_index);
        if (shard == nullptr) return Finish(EndStep());
      }
      if (effect.delay.count() > 0) {
        held_until_ = std::chrono::steady_clock::now() + effect.delay;
        return Step{};
      }
    }
  }

  ReadLimits limits;
  limits.from_counter = next_counter_;
  limits.max_records = kMaxRecordsPerEvent;
  limits.max_bytes = kMaxBytesPerEvent;
  limits.min_arrival_ms = stream->TrimHorizonMs(now_ms);
  auto rows = backend_.Read(stream->id, shard->index, limits);
  if (!rows.ok()) return Finish(ErrorStep(rows.status()));

  const bool empty = rows->empty();
  if (!empty) next_counter_ = rows->back().counter + 1;
  const int64_t last_arrival_ms = empty ? 0 : rows->back().arrival_ms;
  Json records = RecordsValue(*shard, std::move(rows.value()));
  // Nothing stored between the position and the tip of the snapshot (records past retention): skip to the tip.
  if (empty) next_counter_ = std::max(next_counter_, shard->next_counter);
  const bool at_tip = empty || next_counter_ >= shard->next_counter;
  more_pending_ = !at_tip;

  Step step;
  step.kind = Step::Kind::kEvent;
  if (wire_) {
    step.wire = std::move(*wire_);
    wire_.reset();
  }
  step.event["Records"] = std::move(records);
  step.event["MillisBehindLatest"] = at_tip ? 0 : std::max<int64_t>(0, now_ms - last_arrival_ms);
  sent_any_ = true;
  last_event_ = std::chrono::steady_clock::now();
  if (!shard->open() && at_tip) {
    // Shard end: ChildShards and no continuation; the stream is over.
    step.event["ChildShards"] = ChildShardsJson(*stream, shard->index);
    return Finish(std::move(step));
  }
  const uint64_t continuation = next_counter_ > 0 ? next_counter_ - 1 : 0;
  step.event["ContinuationSequenceNumber"] =
      EncodeSequenceNumber({shard->seq_epoch_s, shard->index, continuation, now_ms / 1000});
  return step;
}

}  // namespace kemu::actions
