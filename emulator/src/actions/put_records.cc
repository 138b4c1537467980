// PutRecords: up to 500 records (10 MiB in all) in one transaction; results in request order.
#include "actions/action_table.h"
#include "actions/put_record_common.h"
#include "kemu/messages.h"

namespace kemu::actions {

Result<Json> PutRecords(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  KEMU_ASSIGN_OR_RETURN(StreamInfo stream, ctx.backend.GetStream(key));
  const Json& records = in.at("Records");
  std::vector<PutEntry> entries(records.size());
  size_t total = 0;
  for (size_t i = 0; i < records.size(); ++i) {
    KEMU_RETURN_IF_ERROR(
        PreparePutEntry(records[i], stream, "records." + std::to_string(i + 1) + ".member.data", &entries[i]));
    total += entries[i].data.size() + entries[i].partition_key.size();
  }
  if (total > kPutRecordsMaxBytes) return InvalidArgument("Records size exceeds 10 MB limit");
  // Records fail individually when a fault says so, or when the shard's throughput is spent; the others are
  // stored, and the answer keeps request order.
  std::vector<bool> injected(entries.size(), false);
  ErrorCode injected_code = ErrorCode::kProvisionedThroughputExceeded;
  if (ctx.fault != nullptr) {
    injected_code = ctx.fault->record_error;
    for (uint32_t i : ctx.fault->failed_records) {
      if (i < injected.size()) injected[i] = true;
    }
  }
  std::vector<bool> throttled(entries.size(), false);
  PutAdmission admit = [&](size_t i, const ShardInfo& shard, const PutEntry& e) {
    if (injected[i]) return false;
    if (ctx.limiter != nullptr &&
        !ctx.limiter->AdmitWrite(stream.id, shard.index, e.data.size() + e.partition_key.size())) {
      throttled[i] = true;
      return false;
    }
    return true;
  };
  KEMU_ASSIGN_OR_RETURN(auto outcomes, ctx.backend.Put(key, entries, admit));
  Json results = Json::array();
  results.get_ref<Json::array_t&>().reserve(outcomes.size());
  int failed = 0;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    auto& o = outcomes[i];
    if (o.stored()) {
      auto& entry = results.get_ref<Json::array_t&>().emplace_back(Json::value_t::object).get_ref<Json::object_t&>();
      entry.emplace("SequenceNumber", std::move(o.sequence_number));
      entry.emplace("ShardId", FormatShardId(o.shard_index));
      continue;
    }
    ++failed;
    if (!throttled[i] && injected_code == ErrorCode::kInternalError) {
      results.push_back({{"ErrorCode", "InternalFailure"}, {"ErrorMessage", messages::kInternalFailure}});
    } else {
      results.push_back({{"ErrorCode", "ProvisionedThroughputExceededException"},
                         {"ErrorMessage", WriteThrottledMessage(key, o.shard_index)}});
    }
  }
  return Json{{"FailedRecordCount", failed},
              {"Records", std::move(results)},
              {"EncryptionType", ToString(stream.encryption_type)}};
}

}  // namespace kemu::actions
