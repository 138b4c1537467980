// PutRecords: up to 500 records (10 MiB in all) in one transaction; results in request order.
#include "actions/action_table.h"
#include "actions/put_record_common.h"

namespace kemu::actions {

Result<Json> PutRecords(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  KEMU_ASSIGN_OR_RETURN(StreamInfo stream, ctx.backend.GetStream(key));
  const Json& records = in.at("Records");
  std::vector<PutEntry> entries(records.size());
  size_t total = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    KEMU_RETURN_IF_ERROR(PreparePutEntry(records[i], stream, "records." + std::to_string(i + 1) + ".member.data", &entries[i]));
    total += entries[i].data.size() + entries[i].partition_key.size();
  }
  if (total > kPutRecordsMaxBytes) return InvalidArgument("Records size exceeds 10 MB limit");
  KEMU_ASSIGN_OR_RETURN(auto outcomes, ctx.backend.Put(key, entries));
  Json results = Json::array();
  for (auto& o : outcomes) {
    results.push_back({{"SequenceNumber", std::move(o.sequence_number)}, {"ShardId", FormatShardId(o.shard_index)}});
  }
  return Json{{"FailedRecordCount", 0}, {"Records", std::move(results)}, {"EncryptionType", stream.encryption_type}};
}

}  // namespace kemu::actions
