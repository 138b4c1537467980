// DescribeStreamSummary: the stream without its shards. Never reports a
// StreamId (SDK endpoint rules would route requests carrying one away from a
// custom endpoint).
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> DescribeStreamSummary(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  KEMU_ASSIGN_OR_RETURN(StreamInfo stream, ctx.backend.GetStream(key));
  Json summary = {{"StreamName", stream.name},
                  {"StreamARN", stream.arn},
                  {"StreamStatus", ToString(stream.status)},
                  {"StreamModeDetails", {{"StreamMode", ToString(stream.mode)}}},
                  {"RetentionPeriodHours", stream.retention_hours},
                  {"StreamCreationTimestamp", stream.created_ms},
                  {"EnhancedMonitoring", EnhancedMonitoringJson(stream)},
                  {"EncryptionType", ToString(stream.encryption_type)},
                  {"OpenShardCount", stream.OpenShardCount()},
                  {"ConsumerCount", stream.consumers.size()},
                  {"MaxRecordSizeInKiB", stream.max_record_size_kib}};
  if (stream.encryption_type == EncryptionType::kKms) summary["KeyId"] = stream.key_id;
  if (stream.warm_throughput_mibps) {
    const int target = *stream.warm_throughput_mibps;
    summary["WarmThroughput"] = {{"TargetMiBps", target},
                                 {"CurrentMiBps", stream.status == StreamStatus::kActive ? target : 0}};
  }
  return Json{{"StreamDescriptionSummary", std::move(summary)}};
}

}  // namespace kemu::actions
