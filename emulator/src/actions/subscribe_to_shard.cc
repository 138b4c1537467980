// SubscribeToShard: an enhanced fan-out consumer's push stream of one shard. The consumer must exist and be
// ACTIVE, the shard must exist, and only one subscription per (consumer, shard) may be live; the starting
// position resolves as GetShardIterator's does. The action answers the initial response ({}) and hands the
// started Subscription to the HTTP layer through ActionContext::subscription.
#include "actions/action_table.h"
#include "actions/common.h"
#include "actions/shard_iterator.h"
#include "actions/subscription.h"

namespace kemu::actions {

Result<Json> SubscribeToShard(ActionContext& ctx, const Json& in) {
  if (ctx.subscription == nullptr) return Status(ErrorCode::kInternalError, "SubscribeToShard needs a stream");
  const std::string consumer_arn = *OptString(in, "ConsumerARN");
  KEMU_ASSIGN_OR_RETURN(FoundConsumer found, FindConsumer(ctx, Json{{"ConsumerARN", consumer_arn}}));
  if (found.consumer.status != ConsumerStatus::kActive) {
    // AWS's text, its odd spacing included (kinesis-hot-shard-advisor#37).
    return Status(ErrorCode::kResourceInUse, "Consumer " + found.consumer.name + " with creation timestamp " +
                                                 std::to_string(found.consumer.created_ms / 1000) +
                                                 " under stream: " + found.stream.name + " , account " +
                                                 found.stream.account + " is not in ACTIVE status.");
  }
  const std::string shard_id = *OptString(in, "ShardId");
  const std::string where = " in stream " + found.stream.name + " under account " + found.stream.account;
  auto index = ParseShardId(shard_id);
  if (!index) return Status(ErrorCode::kResourceNotFound, "Could not find shard " + shard_id + where + ".");
  const ShardInfo* shard = found.stream.FindShard(*index);
  if (shard == nullptr || found.stream.ShardExpired(*shard, ctx.now_ms)) {
    return Status(ErrorCode::kResourceNotFound, ShardNotFoundMessage(*index, found.stream.name, found.stream.account));
  }
  const Json& position = in.at("StartingPosition");
  KEMU_ASSIGN_OR_RETURN(
      uint64_t counter,
      ResolveStartingCounter(ctx, found.stream, *shard, *OptString(position, "Type"),
                             OptString(position, "SequenceNumber"), OptInt(position, "Timestamp"), "SubscribeToShard"));

  SubscriptionHub& hub = ctx.backend.subscriptions();
  const std::string lease_key = consumer_arn + "|" + shard->shard_id();
  const uint64_t lease = hub.TryAcquire(lease_key);
  if (lease == 0) {
    // AWS's text (daangn/kinesumer#16, #19).
    return Status(ErrorCode::kResourceInUse, "Another active subscription exists for this consumer");
  }
  SubscriptionTarget target{found.stream_key, found.consumer.name, consumer_arn, shard->index};
  *ctx.subscription =
      std::make_shared<Subscription>(ctx.backend, std::move(target), counter, ctx.now_ms, lease_key, lease);
  return Json::object();
}

}  // namespace kemu::actions
