// ListStreamConsumers: a stream's consumers in registration order, MaxResults
// (default and cap 100) at a time; the NextToken (300 s life) remembers the
// stream and the position.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

namespace {
constexpr int64_t kListStreamConsumersMaxResults = 100;
constexpr uint8_t kListStreamConsumersToken = 'C';
}  // namespace

Result<Json> ListStreamConsumers(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  KEMU_ASSIGN_OR_RETURN(StreamInfo stream, ctx.backend.GetStream(key));
  if (auto created = OptInt(in, "StreamCreationTimestamp"); created && *created / 1000 != stream.created_ms / 1000) {
    return Status(ErrorCode::kResourceNotFound, Backend::NotFoundMessage(key));
  }
  uint32_t offset = 0;
  if (auto token = OptString(in, "NextToken")) {
    auto payload = ctx.backend.tokens().Open(*token);
    const std::string bytes = payload.value_or("");
    TokenReader r(bytes);
    uint8_t kind = 0;
    int64_t issued_ms = 0, created_ms = 0;
    std::string arn;
    if (!payload || !r.U8(&kind) || kind != kListStreamConsumersToken || !r.I64(&issued_ms) || !r.Str(&arn) ||
        !r.I64(&created_ms) || !r.U32(&offset) || !r.AtEnd() || arn != stream.arn || created_ms != stream.created_ms) {
      return InvalidArgument("Invalid NextToken.");
    }
    if (ctx.now_ms - issued_ms > kTokenLifetimeMs) {
      return Status(ErrorCode::kExpiredNextToken, "The NextToken has expired.");
    }
  }
  const int64_t max =
      std::min(OptInt(in, "MaxResults").value_or(kListStreamConsumersMaxResults), kListStreamConsumersMaxResults);
  Json consumers = Json::array();
  size_t i = offset;
  for (; i < stream.consumers.size() && static_cast<int64_t>(consumers.size()) < max; ++i) {
    consumers.push_back(ConsumerJson(stream.consumers[i], nullptr));
  }
  Json out = {{"Consumers", std::move(consumers)}};
  if (i < stream.consumers.size()) {
    TokenWriter w;
    w.U8(kListStreamConsumersToken)
        .I64(ctx.now_ms)
        .Str(stream.arn)
        .I64(stream.created_ms)
        .U32(static_cast<uint32_t>(i));
    out["NextToken"] = ctx.backend.tokens().Seal(w.bytes());
  }
  return out;
}

}  // namespace kemu::actions
