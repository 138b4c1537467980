#include "model/stream.h"

#include <cstdio>

namespace kemu {

std::string FormatShardId(uint32_t index) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "shardId-%012u", index);
  return buf;
}

std::optional<uint32_t> ParseShardId(const std::string& shard_id) {
  // AWS reads the digits after the last '-' ("shardId-000000000001", "shard-1"
  // and "-1" name the same shard).
  std::string_view digits = shard_id;
  size_t dash = digits.rfind('-');
  if (dash != std::string_view::npos) digits.remove_prefix(dash + 1);
  if (digits.empty() || digits.size() > 20) return std::nullopt;
  uint64_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > 2147483647ULL) return std::nullopt;
  }
  return static_cast<uint32_t>(v);
}

int PendingReshard::OpenShardDelta(int open_now) const {
  switch (kind) {
    case Kind::kSplit:
      return 1;
    case Kind::kMerge:
      return -1;
    case Kind::kUniformScaling:
      return target_count - open_now;
  }
  return 0;
}

std::string ShardInfo::shard_id() const { return FormatShardId(index); }

std::string ShardInfo::starting_sequence_number() const {
  return EncodeSequenceNumber({seq_epoch_s, index, 0, created_ms / 1000});
}

std::string ShardInfo::ending_sequence_number() const {
  return EncodeSequenceNumber({seq_epoch_s, index, kMaxSequenceCounter, closed_ms.value_or(created_ms) / 1000});
}

ShardInfo* StreamInfo::FindShard(uint32_t index) {
  for (auto& s : shards) {
    if (s.index == index) return &s;
  }
  return nullptr;
}

const ShardInfo* StreamInfo::FindShard(uint32_t index) const { return const_cast<StreamInfo*>(this)->FindShard(index); }

ConsumerInfo* StreamInfo::FindConsumer(const std::string& name) {
  for (auto& c : consumers) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

int StreamInfo::OpenShardCount() const {
  int n = 0;
  for (const auto& s : shards) n += s.open() ? 1 : 0;
  return n;
}

}  // namespace kemu
