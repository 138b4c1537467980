// Hash keys: unsigned 128-bit integers over which Kinesis spreads partition keys.
//
// A record's hash key is the MD5 of its partition key read as a big-endian integer, unless the caller gives an
// ExplicitHashKey. Shards own contiguous, inclusive ranges of the space [0, 2^128-1].
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kemu {

using HashKey = unsigned __int128;

constexpr HashKey kMaxHashKey = ~static_cast<HashKey>(0);

// Parses a decimal string; nullopt when it is not all digits or does not fit in 128 bits.
std::optional<HashKey> ParseHashKey(std::string_view decimal);
std::string FormatHashKey(HashKey key);
HashKey HashPartitionKey(std::string_view partition_key);

struct HashKeyRange {
  HashKey start = 0;
  HashKey end = 0;  // inclusive
  bool Contains(HashKey k) const { return k >= start && k <= end; }
};

// The even initial layout for `shard_count` shards: width floor(2^128 / n), the last range ends at 2^128-1.
std::vector<HashKeyRange> EvenHashKeyRanges(int shard_count);

}  // namespace kemu
