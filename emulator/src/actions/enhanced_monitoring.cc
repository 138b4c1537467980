#include "actions/enhanced_monitoring.h"

#include <algorithm>
#include <array>

namespace kemu::actions {

namespace {
constexpr std::array<const char*, 7> kShardLevelMetrics = {"IncomingBytes",
                                                           "IncomingRecords",
                                                           "OutgoingBytes",
                                                           "OutgoingRecords",
                                                           "WriteProvisionedThroughputExceeded",
                                                           "ReadProvisionedThroughputExceeded",
                                                           "IteratorAgeMilliseconds"};
}  // namespace

Result<Json> ChangeEnhancedMonitoring(ActionContext& ctx, const Json& in, bool enable) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  const auto requested = in.at("ShardLevelMetrics").get<std::vector<std::string>>();
  const bool all = std::find(requested.begin(), requested.end(), "ALL") != requested.end();
  std::vector<std::string> before, after;
  KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(Backend::RequireActive(s));
    before = s.enhanced_metrics;
    after.clear();
    for (const char* metric : kShardLevelMetrics) {
      const bool named = all || std::find(requested.begin(), requested.end(), metric) != requested.end();
      const bool on = std::find(before.begin(), before.end(), metric) != before.end();
      if (enable ? (on || named) : (on && !named)) after.push_back(metric);
    }
    s.enhanced_metrics = after;
    return Status::Ok();
  }));
  return Json{{"StreamName", key.name},
              {"StreamARN", StreamArn(key.region, key.account, key.name)},
              {"CurrentShardLevelMetrics", before},
              {"DesiredShardLevelMetrics", after}};
}

}  // namespace kemu::actions
