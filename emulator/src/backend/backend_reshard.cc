// Backend: SplitShard, MergeShards and UpdateShardCount, checked when asked for and applied when the stream
// becomes ACTIVE again (see backend.h).
#include <algorithm>

#include "backend/backend.h"
#include "backend/reshard_plan.h"
#include "kemu/messages.h"

namespace kemu {

namespace {

ShardInfo NewChild(StreamInfo& s, HashKeyRange range, const ShardInfo& parent, const ShardInfo* adjacent,
                   int64_t now_ms) {
  ShardInfo child;
  child.index = s.next_shard_index++;
  child.range = range;
  child.parent = parent.index;
  if (adjacent != nullptr) child.adjacent_parent = adjacent->index;
  child.created_ms = now_ms;
  // Every child number must sort above every parent number: the creation
  // seconds lead the layout.
  int64_t epoch = std::max(now_ms / 1000, parent.seq_epoch_s + 1);
  if (adjacent != nullptr) epoch = std::max(epoch, adjacent->seq_epoch_s + 1);
  child.seq_epoch_s = epoch;
  return child;
}

}  // namespace

void Backend::SplitIn(StreamInfo& s, uint32_t shard_index, HashKey new_start, int64_t now_ms) {
  ShardInfo* parent = s.FindShard(shard_index);
  parent->closed_ms = now_ms;
  const ShardInfo p = *parent;
  ShardInfo lower = NewChild(s, {p.range.start, new_start - 1}, p, nullptr, now_ms);
  ShardInfo upper = NewChild(s, {new_start, p.range.end}, p, nullptr, now_ms);
  s.shards.push_back(lower);
  s.shards.push_back(upper);
}

void Backend::MergeIn(StreamInfo& s, uint32_t shard_index, uint32_t adjacent_index, int64_t now_ms) {
  ShardInfo* a = s.FindShard(shard_index);
  ShardInfo* b = s.FindShard(adjacent_index);
  a->closed_ms = now_ms;
  b->closed_ms = now_ms;
  const ShardInfo pa = *a, pb = *b;
  HashKeyRange range{std::min(pa.range.start, pb.range.start), std::max(pa.range.end, pb.range.end)};
  s.shards.push_back(NewChild(s, range, pa, &pb, now_ms));
}

void Backend::ScaleIn(StreamInfo& s, int target, int64_t now_ms) {
  std::vector<uint32_t> order;  // open shards by range start: the planner's working list
  for (const auto& shard : s.shards) {
    if (shard.open()) order.push_back(shard.index);
  }
  std::sort(order.begin(), order.end(),
            [&](uint32_t x, uint32_t y) { return s.FindShard(x)->range.start < s.FindShard(y)->range.start; });
  std::vector<HashKeyRange> ranges;
  for (uint32_t i : order) ranges.push_back(s.FindShard(i)->range);
  for (const ReshardStep& step : PlanUniformScaling(ranges, target)) {
    const auto p = static_cast<std::ptrdiff_t>(step.position);
    if (step.kind == ReshardStep::Kind::kSplit) {
      SplitIn(s, order[p], step.new_starting_hash_key, now_ms);
      const uint32_t upper = s.shards.back().index;
      order[p] = upper - 1;
      order.insert(order.begin() + p + 1, upper);
    } else {
      MergeIn(s, order[p], order[p + 1], now_ms);
      order[p] = s.shards.back().index;
      order.erase(order.begin() + p + 1);
    }
  }
}

void Backend::ApplyReshard(StreamInfo& s, const PendingReshard& reshard, int64_t now_ms) {
  switch (reshard.kind) {
    case PendingReshard::Kind::kSplit:
      SplitIn(s, reshard.shard, reshard.new_starting_hash_key, now_ms);
      break;
    case PendingReshard::Kind::kMerge:
      MergeIn(s, reshard.shard, reshard.adjacent, now_ms);
      break;
    case PendingReshard::Kind::kUniformScaling:
      ScaleIn(s, reshard.target_count, now_ms);
      break;
  }
}

void Backend::BeginReshard(StreamInfo& s, const PendingReshard& reshard, ReshardTiming timing) {
  if (timing == ReshardTiming::kImmediate || options_.update_stream_ms <= 0) {
    ApplyReshard(s, reshard, clock_.NowMillis());
  } else {
    s.pending_reshard = reshard;
  }
  MarkUpdating(s);
}

Status Backend::ReshardGuards(const StreamInfo& s, const StreamKey& key) const {
  KEMU_RETURN_IF_ERROR(RequireActive(s));
  if (s.mode == StreamMode::kOnDemand) {
    return Status(ErrorCode::kValidation, "Request is invalid. Stream " + key.name + " under account " + key.account +
                                              " is in On-Demand mode.");
  }
  return Status::Ok();
}

namespace {

// The index a reshard names; an id AWS cannot parse is refused with the id as sent, before the stream is looked
// up.
Result<uint32_t> ReshardShardIndex(const StreamKey& key, const std::string& shard_id) {
  auto index = ParseShardId(shard_id);
  if (!index) {
    return Status(ErrorCode::kResourceNotFound, "Could not find shard " + shard_id + " in stream " + key.name +
                                                    " under account " + key.account + ".");
  }
  return *index;
}

Status NotEligibleForReshard(const ShardInfo& shard, const StreamKey& key) {
  return Status(ErrorCode::kInvalidArgument, "Shard " + shard.shard_id() + " in stream " + key.name +
                                                 " under account " + key.account +
                                                 " has already been merged or split, and thus is not eligible for "
                                                 "merging or splitting.");
}

}  // namespace

Result<ShardInfo*> Backend::ReshardTargetLocked(StreamInfo& s, const StreamKey& key, uint32_t shard_index) {
  ShardInfo* shard = s.FindShard(shard_index);
  if (shard == nullptr) {
    // A parseable id is echoed in its normal form (shardId-5 -> shardId-000000000005).
    return Status(ErrorCode::kResourceNotFound, "Could not find shard " + FormatShardId(shard_index) + " in stream " +
                                                    key.name + " under account " + key.account + ".");
  }
  return shard;
}

Status Backend::SplitShard(const StreamKey& key, const std::string& shard_to_split,
                           const std::string& new_starting_hash_key, ReshardTiming timing) {
  KEMU_ASSIGN_OR_RETURN(uint32_t index, ReshardShardIndex(key, shard_to_split));
  return UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(ReshardGuards(s, key));
    KEMU_ASSIGN_OR_RETURN(ShardInfo * shard, ReshardTargetLocked(s, key, index));
    if (!shard->open()) return NotEligibleForReshard(*shard, key);
    auto new_start = ParseHashKey(new_starting_hash_key);
    if (!new_start || *new_start <= shard->range.start + 1 || *new_start >= shard->range.end) {
      return Status(ErrorCode::kInvalidArgument,
                    "NewStartingHashKey " + new_starting_hash_key + " used in SplitShard() on shard " +
                        shard->shard_id() + " in stream " + key.name + " under account " + key.account +
                        " is not both greater than one plus the shard's "
                        "StartingHashKey " +
                        FormatHashKey(shard->range.start) + " and less than the shard's EndingHashKey " +
                        FormatHashKey(shard->range.end) + ".");
    }
    const int current = OpenShardsInRegionLocked(key.account, key.region);
    if (current + 1 > ShardLimitFor(key.region)) return ShardLimitError(key, current, 1);
    PendingReshard split;
    split.kind = PendingReshard::Kind::kSplit;
    split.shard = shard->index;
    split.new_starting_hash_key = *new_start;
    BeginReshard(s, split, timing);
    return Status::Ok();
  });
}

Status Backend::MergeShards(const StreamKey& key, const std::string& shard_to_merge, const std::string& adjacent_shard,
                            ReshardTiming timing) {
  KEMU_ASSIGN_OR_RETURN(uint32_t index_a, ReshardShardIndex(key, shard_to_merge));
  KEMU_ASSIGN_OR_RETURN(uint32_t index_b, ReshardShardIndex(key, adjacent_shard));
  return UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(ReshardGuards(s, key));
    KEMU_ASSIGN_OR_RETURN(ShardInfo * a, ReshardTargetLocked(s, key, index_a));
    KEMU_ASSIGN_OR_RETURN(ShardInfo * b, ReshardTargetLocked(s, key, index_b));
    for (const ShardInfo* shard : {a, b}) {
      if (!shard->open()) return NotEligibleForReshard(*shard, key);
    }
    // AWS takes ShardToMerge as the lower range: the pair given the other way round is "not adjacent".
    const bool adjacent = a != b && a->range.end != kMaxHashKey && a->range.end + 1 == b->range.start;
    if (!adjacent) {
      return Status(ErrorCode::kInvalidArgument, "Shards " + a->shard_id() + " and " + b->shard_id() + " in stream " +
                                                     key.name + " under account " + key.account +
                                                     " are not an adjacent pair of shards eligible for merging");
    }
    PendingReshard merge;
    merge.kind = PendingReshard::Kind::kMerge;
    merge.shard = a->index;
    merge.adjacent = b->index;
    BeginReshard(s, merge, timing);
    return Status::Ok();
  });
}

Result<int> Backend::UpdateShardCount(const StreamKey& key, int target) {
  const int64_t now = clock_.NowMillis();
  int before = 0;
  Status st = UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(ReshardGuards(s, key));
    before = s.OpenShardCount();
    const std::string who = " for stream " + key.name + " under account " + key.account + ".";
    if (target > 2 * before) {
      return Status(ErrorCode::kLimitExceeded,
                    "UpdateShardCount cannot scale up over double your current "
                    "open shard count. Current open shard "
                    "count: " +
                        std::to_string(before) + " Target shard count: " + std::to_string(target) + who);
    }
    if (2 * target < before) {
      return Status(ErrorCode::kLimitExceeded,
                    "UpdateShardCount cannot scale down below half your "
                    "current open shard count. Current open "
                    "shard count: " +
                        std::to_string(before) + " Target shard count: " + std::to_string(target) + who);
    }
    std::erase_if(s.scalings_ms, [&](int64_t t) { return t <= now - 24 * 3600 * 1000; });
    if (static_cast<int>(s.scalings_ms.size()) >= kMaxScalingsPerDay) {
      return Status(ErrorCode::kLimitExceeded, "UpdateShardCount cannot scale more than " +
                                                   std::to_string(kMaxScalingsPerDay) +
                                                   " times per rolling 24-hour period" + who);
    }
    if (target > kMaxShardsPerStream) {
      return Status(ErrorCode::kLimitExceeded, "UpdateShardCount cannot scale up to more than 10000 shards" + who);
    }
    const int current = OpenShardsInRegionLocked(key.account, key.region);
    if (target > before && current + (target - before) > ShardLimitFor(key.region)) {
      return ShardLimitError(key, current, target - before);
    }
    s.scalings_ms.push_back(now);
    PendingReshard scaling;
    scaling.kind = PendingReshard::Kind::kUniformScaling;
    scaling.target_count = target;
    BeginReshard(s, scaling, ReshardTiming::kWhenUpdateCompletes);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return before;
}

}  // namespace kemu
