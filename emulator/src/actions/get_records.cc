// GetRecords: up to Limit records (default 10,000) and 10 MiB from an
// iterator's position. An open shard always returns a NextShardIterator; past
// the end of a closed shard there is none, and ChildShards name its children.
#include "actions/action_table.h"
#include "actions/common.h"
#include "actions/shard_iterator.h"

namespace kemu::actions {

namespace {
constexpr int64_t kGetRecordsMaxBytes = 10 * 1024 * 1024;
}

Result<Json> GetRecords(ActionContext& ctx, const Json& in) {
  auto it = DecodeShardIterator(ctx.backend.tokens(),
                                *OptString(in, "ShardIterator"));
  if (!it || it->issued_ms > ctx.now_ms)
    return InvalidArgument("Invalid ShardIterator.");
  if (ctx.now_ms - it->issued_ms > kShardIteratorLifetimeMs) {
    return Status(ErrorCode::kExpiredIterator,
                  "Iterator expired. The iterator was created at time " +
                      JavaDateString(it->issued_ms) +
                      " while right now it is " + JavaDateString(ctx.now_ms) +
                      " which is further in the future than the tolerated "
                      "delay of 300000 milliseconds.");
  }
  const std::string missing = "Shard " + FormatShardId(it->shard_index) +
                              " in stream " + it->stream.name +
                              " under account " + it->stream.account +
                              " does not exist";
  auto stream = ctx.backend.GetStream(it->stream);
  if (!stream.ok()) return Status(ErrorCode::kResourceNotFound, missing);
  const ShardInfo* shard = stream->FindShard(it->shard_index);
  if (shard == nullptr) return Status(ErrorCode::kResourceNotFound, missing);

  if (ctx.limiter != nullptr && !ctx.limiter->AdmitRead(stream->id, shard->index)) {
    return Status(ErrorCode::kProvisionedThroughputExceeded,
                  "Rate exceeded for Shard - " + it->stream.account + "/" + it->stream.name + "/" + shard->shard_id());
  }
  ReadLimits limits;
  limits.from_counter = it->next_counter;
  limits.max_records = static_cast<int>(OptInt(in, "Limit").value_or(10000));
  limits.max_bytes = kGetRecordsMaxBytes;
  limits.min_arrival_ms =
      ctx.now_ms - static_cast<int64_t>(stream->retention_hours) * 3600 * 1000;
  KEMU_ASSIGN_OR_RETURN(std::vector<StoredRecord> rows,
                        ctx.backend.Read(stream->id, shard->index, limits));

  if (ctx.limiter != nullptr) {
    size_t bytes = 0;
    for (const auto& r : rows) bytes += r.data.size() + r.partition_key.size();
    ctx.limiter->ChargeRead(stream->id, shard->index, bytes);
  }
  // Built member by member: an initializer list would copy every value (the data too) once more.
  Json records = Json::array();
  auto& list = records.get_ref<Json::array_t&>();
  list.reserve(rows.size());
  for (auto& r : rows) {
    auto& rec = list.emplace_back(Json::value_t::object).get_ref<Json::object_t&>();
    rec.emplace("SequenceNumber",
                EncodeSequenceNumber({shard->seq_epoch_s, shard->index, r.counter, r.arrival_ms / 1000}));
    rec.emplace("ApproximateArrivalTimestamp", r.arrival_ms);
    rec.emplace("Data", MakeBlob(r.data));
    rec.emplace("PartitionKey", std::move(r.partition_key));
    if (!r.key_ref.empty()) rec.emplace("EncryptionType", "KMS");  // stored encrypted (and decrypted for this answer)
  }
  const uint64_t next_counter =
      rows.empty() ? it->next_counter : rows.back().counter + 1;
  // An empty read found nothing at or after the position, so it is at the tip;
  // otherwise compare with the tip as of the stream snapshot (a closed shard's
  // tip never moves).
  const bool at_tip = rows.empty() || next_counter >= shard->next_counter;

  Json out = {{"Records", std::move(records)}};
  out["MillisBehindLatest"] =
      at_tip || rows.empty()
          ? 0
          : std::max<int64_t>(0, ctx.now_ms - rows.back().arrival_ms);
  if (!shard->open() && at_tip) {
    out["ChildShards"] = ChildShardsJson(*stream, shard->index);
  } else {
    ShardIterator next{it->stream, shard->index, next_counter, ctx.now_ms};
    out["NextShardIterator"] = EncodeShardIterator(ctx.backend.tokens(), next);
  }
  return out;
}

}  // namespace kemu::actions
