#include "actions/common.h"

#include <cctype>
#include <ctime>

#include "actions/call_target.h"
#include "api/record_list.h"

namespace kemu::actions {

Result<StreamKey> ResolveStream(const ActionContext& ctx, const Json& in) {
  if (ctx.target != nullptr && ctx.target->input == &in && ctx.target->stream_key) return *ctx.target->stream_key;
  return ResolveStreamKey(ctx.identity, in);
}

Result<StreamKey> ResolveStreamKey(const Identity& identity, const Json& in) {
  auto name = OptString(in, "StreamName");
  auto arn = OptString(in, "StreamARN");
  if (!name && !arn) return InvalidArgument("Either StreamName or StreamARN must be provided.");
  StreamKey key{identity.account, identity.region, name.value_or("")};
  if (arn) {
    auto parsed = ParseStreamArn(*arn);
    if (!parsed) return InvalidArgument("StreamARN " + *arn + " is invalid.");
    if (name && *name != parsed->name) {
      return InvalidArgument("StreamARN " + *arn + " and StreamName " + *name + " do not refer to the same stream.");
    }
    key = std::move(*parsed);
  }
  return key;
}

Json ShardJson(const ShardInfo& shard) {
  Json j = {
      {"ShardId", shard.shard_id()},
      {"HashKeyRange",
       {{"StartingHashKey", FormatHashKey(shard.range.start)}, {"EndingHashKey", FormatHashKey(shard.range.end)}}},
      {"SequenceNumberRange", {{"StartingSequenceNumber", shard.starting_sequence_number()}}}};
  if (shard.parent) j["ParentShardId"] = FormatShardId(*shard.parent);
  if (shard.adjacent_parent) j["AdjacentParentShardId"] = FormatShardId(*shard.adjacent_parent);
  if (shard.closed_ms) j["SequenceNumberRange"]["EndingSequenceNumber"] = shard.ending_sequence_number();
  return j;
}

Json RecordsValue(const ShardInfo& shard, RecordBatch rows) {
  rows.SetSequenceBase(shard.seq_epoch_s, shard.index);
  return api::RecordListValue(std::move(rows));
}

std::string ShardNotFoundMessage(uint32_t shard_index, const std::string& stream_name, const std::string& account) {
  return "Shard " + FormatShardId(shard_index) + " in stream " + stream_name + " under account " + account +
         " does not exist";
}

Json ChildShardsJson(const StreamInfo& stream, uint32_t parent_index) {
  Json children = Json::array();
  for (const auto& s : stream.shards) {
    if (s.parent != parent_index && s.adjacent_parent != parent_index) continue;
    Json parents = Json::array();
    if (s.parent) parents.push_back(FormatShardId(*s.parent));
    if (s.adjacent_parent) parents.push_back(FormatShardId(*s.adjacent_parent));
    children.push_back(
        {{"ShardId", s.shard_id()},
         {"ParentShards", parents},
         {"HashKeyRange",
          {{"StartingHashKey", FormatHashKey(s.range.start)}, {"EndingHashKey", FormatHashKey(s.range.end)}}}});
  }
  return children;
}

Json EnhancedMonitoringJson(const StreamInfo& stream) {
  return Json::array({{{"ShardLevelMetrics", stream.enhanced_metrics}}});
}

std::string ConsumerNotFoundMessage(const std::string& consumer, const StreamKey& stream) {
  return "Consumer " + consumer + " under stream " + stream.name + " and account " + stream.account + " not found.";
}

Result<FoundConsumer> FindConsumer(ActionContext& ctx, const Json& in) {
  auto consumer_arn = OptString(in, "ConsumerARN");
  auto stream_arn = OptString(in, "StreamARN");
  auto consumer_name = OptString(in, "ConsumerName");
  FoundConsumer found;
  std::string name;
  if (consumer_arn) {
    auto ref = ParseConsumerArn(*consumer_arn);
    if (!ref) return InvalidArgument("ConsumerARN " + *consumer_arn + " is invalid.");
    found.stream_key = ref->stream;
    name = ref->name;
    if (stream_arn && *stream_arn != StreamArn(ref->stream.region, ref->stream.account, ref->stream.name)) {
      return InvalidArgument("StreamARN " + *stream_arn + " and ConsumerARN " + *consumer_arn +
                             " do not refer to the same stream.");
    }
    if (consumer_name && *consumer_name != name) {
      return InvalidArgument("ConsumerName " + *consumer_name + " and ConsumerARN " + *consumer_arn +
                             " do not refer to the same consumer.");
    }
  } else {
    if (!stream_arn || !consumer_name) {
      return InvalidArgument(
          "Either ConsumerARN or both StreamARN and ConsumerName must be "
          "provided.");
    }
    Json addr = {{"StreamARN", *stream_arn}};
    KEMU_ASSIGN_OR_RETURN(found.stream_key, ResolveStream(ctx, addr));
    name = *consumer_name;
  }
  auto stream = ctx.backend.GetStream(found.stream_key);
  if (!stream.ok()) return stream.status();
  found.stream = std::move(stream.value());
  const ConsumerInfo* c = found.stream.FindConsumer(name);
  if (c == nullptr || (consumer_arn && c->arn != *consumer_arn)) {
    return Status(ErrorCode::kResourceNotFound, ConsumerNotFoundMessage(consumer_arn.value_or(name), found.stream_key));
  }
  found.consumer = *c;
  return found;
}

Json ConsumerJson(const ConsumerInfo& consumer, const StreamInfo* with_stream_arn) {
  Json j = {{"ConsumerName", consumer.name},
            {"ConsumerARN", consumer.arn},
            {"ConsumerStatus", ToString(consumer.status)},
            {"ConsumerCreationTimestamp", consumer.created_ms}};
  if (with_stream_arn != nullptr) j["StreamARN"] = with_stream_arn->arn;
  return j;
}

Result<ResourceRef> ParseResourceArn(const std::string& arn) {
  if (auto consumer = ParseConsumerArn(arn)) return ResourceRef{consumer->stream, consumer->name, arn};
  auto stream = ParseStreamArn(arn);
  if (!stream) return InvalidArgument("ResourceARN " + arn + " is invalid.");
  return ResourceRef{std::move(*stream), std::nullopt, arn};
}

ResourceFields FieldsOf(StreamInfo& stream, const ResourceRef& ref) {
  if (!ref.consumer) return {&stream.tags, &stream.policy};
  ConsumerInfo* c = stream.FindConsumer(*ref.consumer);
  if (c == nullptr || c->arn != ref.arn) return {};
  return {&c->tags, &c->policy};
}

Status ResourceNotFound(const ResourceRef& ref) {
  if (ref.consumer) return Status(ErrorCode::kResourceNotFound, ConsumerNotFoundMessage(ref.arn, ref.stream));
  return Status(ErrorCode::kResourceNotFound, Backend::NotFoundMessage(ref.stream));
}

std::string StreamSubject(const StreamKey& key) { return "stream " + key.name + " under account " + key.account; }

namespace {

// Unicode letters (any non-ASCII code point is taken as one), digits, white
// space and _ . / = + - % @ :. The white space AWS means is the space
// character alone: a tab or a newline is refused.
bool TagTextHasOnlyAllowedCharacters(const std::string& s) {
  for (unsigned char c : s) {
    if (c >= 0x80 || std::isalnum(c) || c == ' ') continue;
    if (std::string_view("_./=+-%@:").find(static_cast<char>(c)) == std::string_view::npos) return false;
  }
  return true;
}

Status CheckTagTexts(const std::vector<std::string>& texts, const std::string& failure_prefix) {
  for (const auto& t : texts) {
    if (!TagTextHasOnlyAllowedCharacters(t)) {
      return InvalidArgument(
          "Some tags contain invalid characters. Valid characters: Unicode "
          "letters, digits, white space, _ . / = + - "
          "% @ :.");
    }
  }
  for (const auto& t : texts) {
    if (t.find('%') != std::string::npos) {
      return InvalidArgument(failure_prefix +
                             " because some tags contained illegal characters. The allowed "
                             "characters are Unicode "
                             "letters, white-spaces, '_',',','/','=','+','-','@',':'.");
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckTagsToAdd(const std::map<std::string, std::string>& existing, const Json& tags,
                      const std::string& subject) {
  std::vector<std::string> texts;
  size_t total = existing.size();
  for (auto it = tags.begin(); it != tags.end(); ++it) {
    texts.push_back(it.key());
    texts.push_back(it->get<std::string>());
    if (existing.find(it.key()) == existing.end()) ++total;
  }
  const std::string prefix = "Failed to add tags to " + subject;
  KEMU_RETURN_IF_ERROR(CheckTagTexts(texts, prefix));
  if (total > kMaxTags) {
    return InvalidArgument(prefix + " because a given stream cannot have more than " + std::to_string(kMaxTags) +
                           " tags associated with it.");
  }
  return Status::Ok();
}

Status CheckTagKeysToRemove(const Json& keys, const std::string& subject) {
  return CheckTagTexts(keys.get<std::vector<std::string>>(), "Failed to remove tags from " + subject);
}

Json TagListJson(const std::map<std::string, std::string>& tags) {
  Json list = Json::array();
  for (const auto& [k, v] : tags) list.push_back({{"Key", k}, {"Value", v}});
  return list;
}

}  // namespace kemu::actions
