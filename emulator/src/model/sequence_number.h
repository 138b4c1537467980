// Sequence numbers in the "version 2" layout that AWS uses and KCL reads.
//
// 47 hex digits (most significant first): '2' | shard creation seconds (9) | low nibble of the shard index (1) |
// per-shard counter (16) | '00' | arrival seconds (9) | shard index (8) | '2', written as a decimal string.
// Because the counter sits above the arrival time, numbers strictly increase with the counter within a shard;
// because the shard creation time sits on top, a child shard (created later) sorts above its parents.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kemu {

struct SequenceNumberParts {
  int64_t shard_created_s = 0;
  uint32_t shard_index = 0;
  uint64_t counter = 0;  // at most kMaxSequenceCounter
  int64_t arrival_s = 0;
};

constexpr uint64_t kMaxSequenceCounter = 0x7fffffffffffffffULL;

// The decimal form has at most this many digits (the layout spans 188 bits).
constexpr size_t kMaxSequenceNumberDigits = 57;

// Writes the decimal digits into `buf` (no terminator, no allocation) and returns how many.
size_t FormatSequenceNumber(const SequenceNumberParts& parts, char (&buf)[kMaxSequenceNumberDigits]);
std::string EncodeSequenceNumber(const SequenceNumberParts& parts);
// nullopt when `decimal` is not a sequence number of this layout.
std::optional<SequenceNumberParts> DecodeSequenceNumber(std::string_view decimal);

}  // namespace kemu
