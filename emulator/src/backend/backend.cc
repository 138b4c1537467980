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
  return "Stream " + s.name + " under account " + s.account + " not ACTIVE, instead in state " +
         std::string(ToString(s.status));
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
