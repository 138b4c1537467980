// PutRecord: one record, routed by the MD5 of its partition key (or ExplicitHashKey) to the open shard whose
// range holds it.
#include "actions/action_table.h"
#include "actions/put_record_common.h"

namespace kemu::actions {

Result<Json> PutRecord(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  KEMU_ASSIGN_OR_RETURN(StreamInfo stream, ctx.backend.GetStream(key));
  if (auto ordering = OptString(in, "SequenceNumberForOrdering")) {
    // Our numbers always increase within a shard, so the ordering guarantee holds; the value must still be one.
    if (!DecodeSequenceNumber(*ordering)) {
      return InvalidArgument("ExclusiveMinimumSequenceNumber " + *ordering + " used in PutRecord on stream " +
                             key.name + " under account " + key.account + " is invalid.");
    }
  }
  PutEntry entry;
  KEMU_RETURN_IF_ERROR(PreparePutEntry(in, stream, "data", &entry));
  PutAdmission admit;
  if (ctx.limiter != nullptr) {
    admit = [&](size_t, const ShardInfo& shard, const PutEntry& e) {
      return ctx.limiter->AdmitWrite(stream.id, shard.index, e.data.size() + e.partition_key.size());
    };
  }
  KEMU_ASSIGN_OR_RETURN(auto outcomes, ctx.backend.Put(key, std::span<const PutEntry>(&entry, 1), admit));
  if (!outcomes[0].stored()) {
    return Status(ErrorCode::kProvisionedThroughputExceeded, WriteThrottledMessage(key, outcomes[0].shard_index));
  }
  return Json{{"ShardId", FormatShardId(outcomes[0].shard_index)},
              {"SequenceNumber", std::move(outcomes[0].sequence_number)},
              {"EncryptionType", ToString(stream.encryption_type)}};
}

}  // namespace kemu::actions
