#include "actions/put_record_common.h"

#include "kemu/messages.h"

namespace kemu::actions {

std::string WriteThrottledMessage(const StreamKey& key, uint32_t shard_index) {
  return messages::WriteThrottled(FormatShardId(shard_index), key.name, key.account);
}

Status PreparePutEntry(const Json& entry, const StreamInfo& stream, const std::string& member_path, PutEntry* out) {
  out->data = BlobBytes(entry, "Data");
  out->partition_key = entry.at("PartitionKey").get_ref<const std::string&>();
  const size_t cap = static_cast<size_t>(stream.max_record_size_kib) * 1024;
  if (out->data.size() > cap) {
    const std::string n = std::to_string(out->data.size());
    return Status(ErrorCode::kValidation, "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=" + n +
                                              " cap=" + n + "]' at '" + member_path +
                                              "' failed to satisfy constraint: Member must have length less than "
                                              "or equal to " +
                                              std::to_string(cap));
  }
  if (out->data.size() + out->partition_key.size() > cap) {
    return InvalidArgument(
        "The record size (data and partition key) of " + std::to_string(out->data.size() + out->partition_key.size()) +
        " bytes exceeds the maximum record size of " + std::to_string(cap) + " bytes for stream " + stream.name + ".");
  }
  if (auto ehk = entry.find("ExplicitHashKey"); ehk != entry.end()) {
    const auto& text = ehk->get_ref<const std::string&>();
    auto key = ParseHashKey(text);
    if (!key) {
      return InvalidArgument(
          "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. "
          "Specified value was " +
          text);
    }
    out->explicit_hash_key = key;
  }
  return Status::Ok();
}

}  // namespace kemu::actions
