// ListStreams: stream names of the caller's account and region in lexical order, paged by Limit (default and
// cap 100) with ExclusiveStartStreamName or NextToken.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

namespace {
constexpr int64_t kListStreamsMaxLimit = 100;
constexpr uint8_t kListStreamsToken = 'S';
}  // namespace

Result<Json> ListStreams(ActionContext& ctx, const Json& in) {
  const int64_t limit = std::min(OptInt(in, "Limit").value_or(kListStreamsMaxLimit), kListStreamsMaxLimit);
  std::string after = OptString(in, "ExclusiveStartStreamName").value_or("");
  if (auto token = OptString(in, "NextToken")) {
    if (in.contains("ExclusiveStartStreamName")) {
      return InvalidArgument("NextToken and ExclusiveStartStreamName cannot be provided together.");
    }
    auto payload = ctx.backend.tokens().Open(*token);
    const std::string payload_bytes = payload.value_or("");
    TokenReader reader(payload_bytes);
    uint8_t kind = 0;
    int64_t issued_ms = 0;
    std::string account, region;
    if (!payload || !reader.U8(&kind) || kind != kListStreamsToken || !reader.I64(&issued_ms) ||
        !reader.Str(&account) || !reader.Str(&region) || !reader.Str(&after) || !reader.AtEnd() ||
        account != ctx.identity.account || region != ctx.identity.region) {
      return InvalidArgument("Invalid NextToken.");
    }
    if (ctx.now_ms - issued_ms > kTokenLifetimeMs) {
      return Status(ErrorCode::kExpiredNextToken, "The NextToken has expired.");
    }
  }

  Json names = Json::array();
  Json summaries = Json::array();
  bool has_more = false;
  for (const auto& s : ctx.backend.ListStreams(ctx.identity.account, ctx.identity.region)) {
    if (!after.empty() && s.name <= after) continue;
    if (static_cast<int64_t>(names.size()) == limit) {
      has_more = true;
      break;
    }
    names.push_back(s.name);
    summaries.push_back({{"StreamName", s.name},
                         {"StreamARN", s.arn},
                         {"StreamStatus", ToString(s.status)},
                         {"StreamModeDetails", {{"StreamMode", ToString(s.mode)}}},
                         {"StreamCreationTimestamp", s.created_ms}});
  }
  Json out = {{"StreamNames", names}, {"HasMoreStreams", has_more}, {"StreamSummaries", std::move(summaries)}};
  if (has_more) {
    TokenWriter w;
    w.U8(kListStreamsToken)
        .I64(ctx.now_ms)
        .Str(ctx.identity.account)
        .Str(ctx.identity.region)
        .Str(names.back().get<std::string>());
    out["NextToken"] = ctx.backend.tokens().Seal(w.bytes());
  }
  return out;
}

}  // namespace kemu::actions
