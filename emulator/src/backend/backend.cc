#include "backend/backend.h"

#include <algorithm>

#include "backend/reshard_plan.h"
#include "kemu/messages.h"

namespace kemu {

namespace {

// Tells subscribers about a change once the calling method has released the lock.
struct NotifyOnExit {
  explicit NotifyOnExit(SubscriptionHub& hub) : hub(hub) {}
  ~NotifyOnExit() { hub.Notify(); }
  SubscriptionHub& hub;
};

constexpr int64_t kTrimIntervalMs = 60 * 1000;

std::string NotActiveMessage(const StreamInfo& s) {
  return "Stream " + s.name + " under account " + s.account + " not ACTIVE, instead in state " + std::string(ToString(s.status));
}

}  // namespace

Backend::Backend(Store& store, const Clock& clock, BackendOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

std::string Backend::MapKey(const StreamKey& key) {
  std::string k;
  k.reserve(key.account.size() + key.region.size() + key.name.size() + 2);
  k.append(key.account).push_back('\0');
  k.append(key.region).push_back('\0');
  k.append(key.name);
  return k;
}

std::string Backend::NotFoundMessage(const StreamKey& key) {
  return "Stream " + key.name + " under account " + key.account + " not found.";
}

int Backend::ShardLimitFor(const std::string& region) const {
  if (options_.shard_limit > 0) return options_.shard_limit;
  if (region == "us-east-1" || region == "us-west-2" || region == "eu-west-1") return 500;
  return 200;
}

Status Backend::RequireActive(const StreamInfo& stream) {
  if (stream.status == StreamStatus::kActive) return Status::Ok();
  return Status(ErrorCode::kResourceInUse, NotActiveMessage(stream));
}

void Backend::MarkUpdating(StreamInfo& stream) const {
  if (options_.update_stream_ms <= 0) return;
  stream.status = StreamStatus::kUpdating;
  stream.transition_at_ms = clock_.NowMillis() + options_.update_stream_ms;
}

Status Backend::Load() {
  KEMU_ASSIGN_OR_RETURN(std::string key, store_.Secret("token-hmac", 32));
  tokens_ = std::make_unique<TokenCodec>(std::move(key));
  kms_ = std::make_unique<EmulatedKms>(store_, options_.kms_keys);
  KEMU_ASSIGN_OR_RETURN(std::vector<StreamInfo> streams, store_.LoadStreams());
  KEMU_ASSIGN_OR_RETURN(auto settings, store_.LoadAccountSettings());
  {
    std::lock_guard lock(accounts_mu_);
    accounts_ = std::move(settings);
  }
  std::lock_guard lock(mu_);
  for (auto& s : streams) {
    for (auto& shard : s.shards) shard.next_counter = std::max<uint64_t>(shard.next_counter, shard.counter_floor);
    KEMU_ASSIGN_OR_RETURN(std::vector<Store::ShardTip> tips, store_.ShardTips(s.id));
    for (const auto& tip : tips) {
      if (ShardInfo* shard = s.FindShard(tip.shard_index)) {
        shard->next_counter = std::max(shard->next_counter, tip.counter + 1);
        shard->last_arrival_ms = tip.arrival_ms;
      }
    }
    std::string k = MapKey({s.account, s.region, s.name});
    streams_.emplace(std::move(k), std::move(s));
  }
  return Status::Ok();
}

void Backend::ApplyTransitionsLocked(StreamInfo& stream) {
  const int64_t now = clock_.NowMillis();
  bool changed = false;
  if ((stream.status == StreamStatus::kCreating || stream.status == StreamStatus::kUpdating) &&
      now >= stream.transition_at_ms) {
    stream.status = StreamStatus::kActive;
    if (stream.pending_reshard) {
      // The update completed at transition_at_ms, however late this lookup comes: the parents closed then.
      const PendingReshard reshard = *stream.pending_reshard;
      stream.pending_reshard.reset();
      ApplyReshard(stream, reshard, stream.transition_at_ms);
    }
    changed = true;
  }
  for (auto it = stream.consumers.begin(); it != stream.consumers.end();) {
    if (now < it->transition_at_ms || it->status == ConsumerStatus::kActive) {
      ++it;
    } else if (it->status == ConsumerStatus::kDeleting) {
      it = stream.consumers.erase(it);
      changed = true;
    } else {
      it->status = ConsumerStatus::kActive;
      changed = true;
      ++it;
    }
  }
  if (changed) (void)store_.UpdateStream(stream);
}

Status Backend::TrimLocked(StreamInfo& stream, bool force) {
  const int64_t now = clock_.NowMillis();
  int64_t& last = last_trim_ms_[stream.id];
  if (!force && last != 0 && now - last < kTrimIntervalMs) return Status::Ok();
  last = now;
  // Counters follow arrival order, so a shard's expired records are the ones
  // below its first record within retention (one index seek when none is).
  const int64_t horizon = stream.TrimHorizonMs(now);
  std::vector<std::pair<ShardInfo*, uint64_t>> cuts;
  for (auto& shard : stream.shards) {
    KEMU_ASSIGN_OR_RETURN(std::optional<uint64_t> first, store_.FirstCounterAtOrAfter(stream.id, shard.index, horizon));
    const uint64_t below = first.value_or(shard.next_counter);
    if (below > shard.trimmed_below) cuts.emplace_back(&shard, below);
  }
  if (cuts.empty()) return Status::Ok();
  // The counters must never go back, even when every record of a shard is
  // deleted: persist them first.
  bool floors_moved = false;
  for (auto& shard : stream.shards) {
    if (shard.counter_floor < shard.next_counter) {
      shard.counter_floor = shard.next_counter;
      floors_moved = true;
    }
  }
  if (floors_moved) KEMU_RETURN_IF_ERROR(store_.UpdateStream(stream));
  for (auto& [shard, below] : cuts) {
    KEMU_RETURN_IF_ERROR(store_.DeleteRecordsBelow(stream.id, shard->index, below).status());
    shard->trimmed_below = below;
  }
  return Status::Ok();
}

StreamInfo* Backend::FindLocked(const StreamKey& key) {
  auto it = streams_.find(MapKey(key));
  if (it == streams_.end()) return nullptr;
  StreamInfo& s = it->second;
  if (s.status == StreamStatus::kDeleting && clock_.NowMillis() >= s.transition_at_ms) {
    if (store_.DeleteStream(s.id).ok()) {
      last_trim_ms_.erase(s.id);
      streams_.erase(it);
      return nullptr;
    }
    return &s;
  }
  ApplyTransitionsLocked(s);
  (void)TrimLocked(s, /*force=*/false);
  return &s;
}

Status Backend::TrimNow(const StreamKey& key) {
  std::lock_guard lock(mu_);
  StreamInfo* s = FindLocked(key);
  if (s == nullptr) return Status(ErrorCode::kResourceNotFound, NotFoundMessage(key));
  return TrimLocked(*s, /*force=*/true);
}

Result<StreamInfo> Backend::GetStream(const StreamKey& key) {
  std::lock_guard lock(mu_);
  StreamInfo* s = FindLocked(key);
  if (s == nullptr) return Status(ErrorCode::kResourceNotFound, NotFoundMessage(key));
  return *s;
}

std::vector<StreamInfo> Backend::ListStreams(const std::string& account, const std::string& region) {
  std::lock_guard lock(mu_);
  std::vector<StreamInfo> out;
  std::string prefix = MapKey({account, region, ""});
  std::vector<StreamKey> keys;
  for (auto it = streams_.lower_bound(prefix); it != streams_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    keys.push_back({account, region, it->second.name});
  }
  for (const auto& k : keys) {
    if (StreamInfo* s = FindLocked(k)) out.push_back(*s);
  }
  return out;
}

void Backend::ForEachStream(const std::function<void(const StreamInfo&)>& visit) {
  std::lock_guard lock(mu_);
  for (auto it = streams_.begin(); it != streams_.end();) {
    // FindLocked may forget this stream (its deletion is due), never another one.
    auto next = std::next(it);
    const StreamInfo& s = it->second;
    if (StreamInfo* found = FindLocked({s.account, s.region, s.name})) visit(*found);
    it = next;
  }
}

int Backend::OpenShardsInRegionLocked(const std::string& account, const std::string& region) {
  int n = 0;
  std::string prefix = MapKey({account, region, ""});
  for (auto it = streams_.lower_bound(prefix); it != streams_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    const StreamInfo& s = it->second;
    const int open = s.OpenShardCount();
    n += open;
    // A pending reshard's new shards are already spoken for: the quota must still hold when it applies.
    if (s.pending_reshard) n += std::max(0, s.pending_reshard->OpenShardDelta(open));
  }
  return n;
}

int Backend::OpenShardCount(const std::string& account, const std::string& region) {
  int n = 0;
  for (const auto& s : ListStreams(account, region)) n += s.OpenShardCount();
  return n;
}

int Backend::OnDemandStreamCount(const std::string& account, const std::string& region) {
  int n = 0;
  for (const auto& s : ListStreams(account, region)) n += s.mode == StreamMode::kOnDemand ? 1 : 0;
  return n;
}

Status Backend::ShardLimitError(const StreamKey& key, int current, int additional) const {
  return Status(ErrorCode::kLimitExceeded, "This request would exceed the shard limit for the account " + key.account +
                                               " in " + key.region +
                                               ". Current shard count for the account: " + std::to_string(current) +
                                               ". Limit: " + std::to_string(ShardLimitFor(key.region)) +
                                               ". Number of additional shards that would have resulted from this "
                                               "request: " +
                                               std::to_string(additional) +
                                               ". Refer to the AWS Service Limits page "
                                               "(http://docs.aws.amazon.com/general/latest/gr/"
                                               "aws_service_limits.html) for current limits "
                                               "and how to request higher limits.");
}

Status Backend::CreateStream(const StreamKey& key, int shard_count, StreamMode mode,
                             std::map<std::string, std::string> tags, int max_record_size_kib, bool active_now) {
  std::lock_guard lock(mu_);
  if (FindLocked(key) != nullptr) {
    return Status(ErrorCode::kResourceInUse,
                  "Stream " + key.name + " under account " + key.account + " already exists.");
  }
  int in_transition = 0, on_demand = 0;
  const std::string prefix = MapKey({key.account, key.region, ""});
  std::vector<StreamKey> keys;
  for (auto it = streams_.lower_bound(prefix); it != streams_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    keys.push_back({key.account, key.region, it->second.name});
  }
  for (const auto& k : keys) {
    if (StreamInfo* s = FindLocked(k)) {
      in_transition += s->status == StreamStatus::kCreating || s->status == StreamStatus::kDeleting ? 1 : 0;
      on_demand += s->mode == StreamMode::kOnDemand ? 1 : 0;
    }
  }
  if (!active_now && in_transition >= kMaxStreamsInTransition) {
    return Status(ErrorCode::kLimitExceeded,
                  "This request would have exceed the limit on the number  of "
                  "streams that can simultaneously be "
                  "in CREATING or DELETING for the account " +
                      key.account + ". Limit: 5.");
  }
  if (mode == StreamMode::kOnDemand && on_demand >= kOnDemandStreamCountLimit) {
    return Status(ErrorCode::kLimitExceeded,
                  "This request would exceed the limit on the number of On-Demand "
                  "streams for the account " +
                      key.account + " in " + key.region + ". Current On-Demand streams count: " +
                      std::to_string(on_demand) + ". Limit: " + std::to_string(kOnDemandStreamCountLimit) + ".");
  }
  const int current = OpenShardsInRegionLocked(key.account, key.region);
  if (int64_t{current} + shard_count > ShardLimitFor(key.region)) return ShardLimitError(key, current, shard_count);
  const int64_t now = clock_.NowMillis();
  StreamInfo s;
  s.account = key.account;
  s.region = key.region;
  s.name = key.name;
  s.arn = StreamArn(key.region, key.account, key.name);
  s.status = StreamStatus::kCreating;
  s.transition_at_ms = now + options_.create_stream_ms;
  s.mode = mode;
  s.created_ms = now;
  s.tags = std::move(tags);
  s.max_record_size_kib = max_record_size_kib;
  auto ranges = EvenHashKeyRanges(shard_count);
  for (int i = 0; i < shard_count; ++i) {
    ShardInfo shard;
    shard.index = s.next_shard_index++;
    shard.range = ranges[i];
    shard.created_ms = now;
    shard.seq_epoch_s = now / 1000;
    s.shards.push_back(shard);
  }
  if (active_now || options_.create_stream_ms <= 0) s.status = StreamStatus::kActive;
  KEMU_RETURN_IF_ERROR(store_.InsertStream(s));
  streams_.emplace(MapKey(key), std::move(s));
  return Status::Ok();
}

Status Backend::DeleteStream(const StreamKey& key, bool enforce_consumer_deletion) {
  NotifyOnExit notify(hub_);  // after the lock is released
  std::lock_guard lock(mu_);
  StreamInfo* s = FindLocked(key);
  if (s == nullptr) return Status(ErrorCode::kResourceNotFound, NotFoundMessage(key));
  if (!s->consumers.empty() && !enforce_consumer_deletion) {
    return Status(ErrorCode::kResourceInUse, "DeleteStream can\u2019t delete " + key.account + ":" + key.name +
                                                 " because there are consumers associated with this data "
                                                 "stream. To delete " +
                                                 key.name +
                                                 " anyway, set the EnforceConsumerDeletion parameter to "
                                                 "true to force the deletion of all the "
                                                 "consumers that are associated with it.");
  }
  if (options_.delete_stream_ms <= 0) {
    KEMU_RETURN_IF_ERROR(store_.DeleteStream(s->id));
    last_trim_ms_.erase(s->id);
    streams_.erase(MapKey(key));
    return Status::Ok();
  }
  StreamInfo copy = *s;
  copy.status = StreamStatus::kDeleting;
  copy.pending_reshard.reset();  // a reshard still pending never happens
  copy.transition_at_ms = clock_.NowMillis() + options_.delete_stream_ms;
  for (auto& c : copy.consumers) {
    c.status = ConsumerStatus::kDeleting;
    c.transition_at_ms = copy.transition_at_ms;
  }
  KEMU_RETURN_IF_ERROR(store_.UpdateStream(copy));
  *s = std::move(copy);
  return Status::Ok();
}

Status Backend::UpdateStream(const StreamKey& key, const std::function<Status(StreamInfo&)>& change) {
  NotifyOnExit notify(hub_);  // after the lock is released
  std::lock_guard lock(mu_);
  StreamInfo* s = FindLocked(key);
  if (s == nullptr) return Status(ErrorCode::kResourceNotFound, NotFoundMessage(key));
  StreamInfo copy = *s;
  KEMU_RETURN_IF_ERROR(change(copy));
  KEMU_RETURN_IF_ERROR(store_.UpdateStream(copy));
  *s = std::move(copy);
  // A shorter retention takes effect at once.
  return TrimLocked(*s, /*force=*/true);
}

// --- resharding ---

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

// --- account settings ---

AccountSettings Backend::GetAccountSettings(const std::string& account) {
  std::lock_guard lock(accounts_mu_);
  AccountSettings& a = accounts_[account];
  if (a.commitment_status == "ENABLED_UNTIL_EARLIEST_ALLOWED_END" && clock_.NowMillis() >= *a.earliest_end_ms) {
    a.commitment_status = "DISABLED";
  }
  return a;
}

Result<AccountSettings> Backend::SetMinimumThroughputBillingCommitment(const std::string& account, bool enabled) {
  AccountSettings current = GetAccountSettings(account);
  std::lock_guard lock(accounts_mu_);
  AccountSettings& a = accounts_[account];
  const AccountSettings before = a;
  const int64_t now = clock_.NowMillis();
  if (enabled && current.commitment_status != "ENABLED") {
    a = AccountSettings{"ENABLED", now, std::nullopt, now + kCommitmentMinimumMs};
  } else if (!enabled && current.commitment_status == "ENABLED") {
    if (now < *a.earliest_end_ms) {
      a.commitment_status = "ENABLED_UNTIL_EARLIEST_ALLOWED_END";
      a.ended_ms = a.earliest_end_ms;
    } else {
      a.commitment_status = "DISABLED";
      a.ended_ms = now;
    }
  }
  // Written through: the answer is given only once the settings are stored.
  if (Status saved = store_.SaveAccountSettings(account, a); !saved.ok()) {
    a = before;
    return saved;
  }
  return a;
}

// --- consumers ---

Result<ConsumerInfo> Backend::RegisterConsumer(const StreamKey& key, const std::string& name,
                                               std::map<std::string, std::string> tags) {
  ConsumerInfo out;
  const int64_t now = clock_.NowMillis();
  KEMU_RETURN_IF_ERROR(UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(RequireActive(s));
    if (s.FindConsumer(name) != nullptr) {
      return Status(ErrorCode::kResourceInUse, "Consumer " + name + " under stream " + key.name + " and account " +
                                                   key.account + " already exists.");
    }
    if (static_cast<int>(s.consumers.size()) >= kMaxConsumersPerStream) {
      return Status(ErrorCode::kLimitExceeded, "Consumer limit of " + std::to_string(kMaxConsumersPerStream) +
                                                   " for stream " + key.name + " under account " + key.account +
                                                   " has been reached.");
    }
    int creating = 0;
    for (const auto& c : s.consumers) creating += c.status == ConsumerStatus::kCreating ? 1 : 0;
    if (creating >= kMaxConsumersCreating) {
      return Status(ErrorCode::kLimitExceeded, messages::StreamRateExceeded(key.name, key.account));
    }
    ConsumerInfo c;
    c.name = name;
    c.created_ms = now;
    c.arn = ConsumerArnOf(s.arn, name, now / 1000);
    c.tags = std::move(tags);
    c.transition_at_ms = now + options_.register_consumer_ms;
    c.status = options_.register_consumer_ms > 0 ? ConsumerStatus::kCreating : ConsumerStatus::kActive;
    s.consumers.push_back(c);
    out = c;
    // The caller sees CREATING even when the transition is immediate, as AWS
    // always answers.
    out.status = ConsumerStatus::kCreating;
    return Status::Ok();
  }));
  return out;
}

Status Backend::DeregisterConsumer(const StreamKey& key, const std::string& name) {
  const int64_t now = clock_.NowMillis();
  return UpdateStream(key, [&](StreamInfo& s) -> Status {
    ConsumerInfo* c = s.FindConsumer(name);
    if (c == nullptr || c->status == ConsumerStatus::kDeleting) {
      return Status(ErrorCode::kResourceNotFound,
                    "Consumer " + name + " under stream " + key.name + " and account " + key.account + " not found.");
    }
    if (options_.register_consumer_ms <= 0) {
      s.consumers.erase(s.consumers.begin() + (c - s.consumers.data()));
      return Status::Ok();
    }
    c->status = ConsumerStatus::kDeleting;
    c->transition_at_ms = now + options_.register_consumer_ms;
    return Status::Ok();
  });
}

// --- records ---

ShardInfo* Backend::OpenShardForLocked(StreamInfo& stream, HashKey hash) {
  for (auto& shard : stream.shards) {
    if (shard.open() && shard.range.Contains(hash)) return &shard;
  }
  return nullptr;
}

std::optional<uint32_t> Backend::RouteShard(const StreamKey& key, std::string_view partition_key,
                                            std::optional<HashKey> explicit_hash_key) {
  std::lock_guard lock(mu_);
  StreamInfo* s = FindLocked(key);
  if (s == nullptr) return std::nullopt;
  ShardInfo* shard = OpenShardForLocked(*s, explicit_hash_key.value_or(HashPartitionKey(partition_key)));
  if (shard == nullptr) return std::nullopt;
  return shard->index;
}

Result<std::vector<PutOutcome>> Backend::Put(const StreamKey& key, std::span<const PutEntry> entries,
                                             const PutAdmission& admit) {
  NotifyOnExit notify(hub_);  // after the lock is released
  std::lock_guard lock(mu_);
  StreamInfo* s = FindLocked(key);
  if (s == nullptr || s->status == StreamStatus::kCreating) {
    return Status(ErrorCode::kResourceNotFound, NotFoundMessage(key));
  }
  const int64_t now = clock_.NowMillis();
  const bool encrypt = s->encryption_type == EncryptionType::kKms;
  std::vector<std::string> envelopes(encrypt ? entries.size() : 0);
  std::vector<NewRecord> rows;
  rows.reserve(entries.size());
  std::vector<PutOutcome> out(entries.size());
  // Counters are committed to the shards only after the store accepted the
  // batch.
  std::vector<std::pair<ShardInfo*, uint64_t>> next;
  for (size_t i = 0; i < entries.size(); ++i) {
    const PutEntry& e = entries[i];
    ShardInfo* target =
        OpenShardForLocked(*s, e.explicit_hash_key ? *e.explicit_hash_key : HashPartitionKey(e.partition_key));
    if (target == nullptr) return Status(ErrorCode::kInternalFailure, "No open shard covers the hash key.");
    out[i].shard_index = target->index;
    if (admit && !admit(i, *target, e)) continue;
    uint64_t* counter = nullptr;
    for (auto& [shard, value] : next) {
      if (shard == target) counter = &value;
    }
    if (counter == nullptr) counter = &next.emplace_back(target, target->next_counter).second;
    const uint64_t c = (*counter)++;
    NewRecord row{target->index, c, now, e.partition_key, e.data, {}};
    if (encrypt) {
      KEMU_ASSIGN_OR_RETURN(envelopes[i], kms_->Encrypt(s->key_ref, e.data));
      row.data = envelopes[i];
      row.key_ref = s->key_ref;
    }
    rows.push_back(row);
    out[i].sequence_number = EncodeSequenceNumber({target->seq_epoch_s, target->index, c, now / 1000});
  }
  if (!rows.empty()) KEMU_RETURN_IF_ERROR(store_.AppendRecords(s->id, rows));
  for (auto& [shard, value] : next) {
    shard->next_counter = value;
    shard->last_arrival_ms = now;
  }
  return out;
}

Status Backend::Reset() {
  {
    std::lock_guard lock(mu_);
    KEMU_RETURN_IF_ERROR(store_.Reset());
    streams_.clear();
  }
  hub_.EndAll();  // live subscriptions end with the state they read
  return Status::Ok();
}

Result<RecordBatch> Backend::Read(int64_t stream_id, uint32_t shard_index, const ReadLimits& limits) {
  KEMU_ASSIGN_OR_RETURN(RecordBatch rows, store_.ReadRecords(stream_id, shard_index, limits));
  if (!rows.view().any_encrypted()) return rows;
  // Some were stored encrypted: a new batch with their plaintext.
  RecordBatch plain;
  plain.Reserve(rows.payload_bytes());
  for (const auto& r : rows) {
    if (r.key_ref.empty()) {
      plain.Append(r.counter, r.arrival_ms, r.partition_key, r.data);
      continue;
    }
    KEMU_ASSIGN_OR_RETURN(std::string data, kms_->Decrypt(std::string(r.key_ref), r.data));
    plain.Append(r.counter, r.arrival_ms, r.partition_key, data, r.key_ref);
  }
  return plain;
}

Result<std::optional<uint64_t>> Backend::FirstCounterAtOrAfter(int64_t stream_id, uint32_t shard_index, int64_t ms) {
  return store_.FirstCounterAtOrAfter(stream_id, shard_index, ms);
}

}  // namespace kemu
