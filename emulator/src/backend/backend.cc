#include "backend/backend.h"

#include <algorithm>

namespace kemu {

Backend::Backend(Store& store, const Clock& clock, BackendOptions options)
    : store_(store), clock_(clock), options_(options) {}

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

Status Backend::Load() {
  KEMU_ASSIGN_OR_RETURN(std::string key, store_.Secret("token-hmac", 32));
  tokens_ = std::make_unique<TokenCodec>(std::move(key));
  KEMU_ASSIGN_OR_RETURN(std::vector<StreamInfo> streams, store_.LoadStreams());
  std::lock_guard lock(mu_);
  for (auto& s : streams) {
    KEMU_ASSIGN_OR_RETURN(std::vector<Store::ShardTip> tips, store_.ShardTips(s.id));
    for (const auto& tip : tips) {
      if (ShardInfo* shard = s.FindShard(tip.shard_index)) {
        shard->next_counter = tip.counter + 1;
        shard->last_arrival_ms = tip.arrival_ms;
      }
    }
    std::string k = MapKey({s.account, s.region, s.name});
    streams_.emplace(std::move(k), std::move(s));
  }
  return Status::Ok();
}

void Backend::ApplyTransitionsLocked(StreamInfo& stream) {
  if (stream.status == "ACTIVE") return;
  const int64_t now = clock_.NowMillis();
  if (now < stream.transition_at_ms) return;
  if (stream.status == "CREATING" || stream.status == "UPDATING") {
    stream.status = "ACTIVE";
    (void)store_.UpdateStream(stream);
  }
}

StreamInfo* Backend::FindLocked(const StreamKey& key) {
  auto it = streams_.find(MapKey(key));
  if (it == streams_.end()) return nullptr;
  StreamInfo& s = it->second;
  if (s.status == "DELETING" && clock_.NowMillis() >= s.transition_at_ms) {
    if (store_.DeleteStream(s.id).ok()) {
      streams_.erase(it);
      return nullptr;
    }
    return &s;
  }
  ApplyTransitionsLocked(s);
  return &s;
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

int Backend::OpenShardsInRegionLocked(const std::string& account, const std::string& region) {
  int n = 0;
  std::string prefix = MapKey({account, region, ""});
  for (auto it = streams_.lower_bound(prefix); it != streams_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    n += it->second.OpenShardCount();
  }
  return n;
}

Status Backend::CreateStream(const StreamKey& key, int shard_count, const std::string& mode,
                             std::map<std::string, std::string> tags, int max_record_size_kib) {
  std::lock_guard lock(mu_);
  if (FindLocked(key) != nullptr) {
    return Status(ErrorCode::kResourceInUse,
                  "Stream " + key.name + " under account " + key.account + " already exists.");
  }
  const int limit = ShardLimitFor(key.region);
  const int current = OpenShardsInRegionLocked(key.account, key.region);
  if (current + shard_count > limit) {
    return Status(ErrorCode::kLimitExceeded,
                  "This request would exceed the shard limit for the account " + key.account + " in " + key.region +
                      ". Current shard count for the account: " + std::to_string(current) +
                      ". Limit: " + std::to_string(limit) +
                      ". Number of additional shards that would have resulted from this request: " +
                      std::to_string(shard_count) +
                      ". Refer to the AWS Service Limits page "
                      "(http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits "
                      "and how to request higher limits.");
  }
  const int64_t now = clock_.NowMillis();
  StreamInfo s;
  s.account = key.account;
  s.region = key.region;
  s.name = key.name;
  s.arn = StreamArn(key.region, key.account, key.name);
  s.status = "CREATING";
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
  if (options_.create_stream_ms == 0) s.status = "ACTIVE";
  KEMU_RETURN_IF_ERROR(store_.InsertStream(s));
  streams_.emplace(MapKey(key), std::move(s));
  return Status::Ok();
}

Status Backend::DeleteStream(const StreamKey& key) {
  std::lock_guard lock(mu_);
  StreamInfo* s = FindLocked(key);
  if (s == nullptr) return Status(ErrorCode::kResourceNotFound, NotFoundMessage(key));
  if (options_.delete_stream_ms == 0) {
    KEMU_RETURN_IF_ERROR(store_.DeleteStream(s->id));
    streams_.erase(MapKey(key));
    return Status::Ok();
  }
  s->status = "DELETING";
  s->transition_at_ms = clock_.NowMillis() + options_.delete_stream_ms;
  return store_.UpdateStream(*s);
}

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
  std::lock_guard lock(mu_);
  StreamInfo* s = FindLocked(key);
  if (s == nullptr || s->status == "CREATING") {
    return Status(ErrorCode::kResourceNotFound, NotFoundMessage(key));
  }
  const int64_t now = clock_.NowMillis();
  std::vector<NewRecord> rows;
  rows.reserve(entries.size());
  std::vector<PutOutcome> out(entries.size());
  // Counters are committed to the shards only after the store accepted the batch.
  std::vector<std::pair<ShardInfo*, uint64_t>> next;
  for (size_t i = 0; i < entries.size(); ++i) {
    const PutEntry& e = entries[i];
    ShardInfo* target = OpenShardForLocked(*s, e.explicit_hash_key ? *e.explicit_hash_key : HashPartitionKey(e.partition_key));
    if (target == nullptr) return Status(ErrorCode::kInternalFailure, "No open shard covers the hash key.");
    out[i].shard_index = target->index;
    if (admit && !admit(i, *target, e)) continue;
    uint64_t* counter = nullptr;
    for (auto& [shard, value] : next) {
      if (shard == target) counter = &value;
    }
    if (counter == nullptr) counter = &next.emplace_back(target, target->next_counter).second;
    const uint64_t c = (*counter)++;
    rows.push_back(NewRecord{target->index, c, now, e.partition_key, e.data});
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
  std::lock_guard lock(mu_);
  KEMU_RETURN_IF_ERROR(store_.Reset());
  streams_.clear();
  return Status::Ok();
}

Result<std::vector<StoredRecord>> Backend::Read(int64_t stream_id, uint32_t shard_index, const ReadLimits& limits) {
  return store_.ReadRecords(stream_id, shard_index, limits);
}

Result<std::optional<uint64_t>> Backend::FirstCounterAtOrAfter(int64_t stream_id, uint32_t shard_index, int64_t ms) {
  return store_.FirstCounterAtOrAfter(stream_id, shard_index, ms);
}

}  // namespace kemu
