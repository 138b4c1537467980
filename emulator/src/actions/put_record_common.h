// What PutRecord and PutRecords share: checking one entry (size cap, ExplicitHashKey) before it is stored.
#pragma once

#include "actions/common.h"

namespace kemu::actions {

// Validates `entry` (a PutRecord input or a PutRecordsRequestEntry) against the stream's record size cap and the
// hash key range, and fills `out`. `member_path` names the entry's data member in messages ("data",
// "records.3.member.data").
Status PreparePutEntry(const Json& entry, const StreamInfo& stream, const std::string& member_path, PutEntry* out);

// The per-record throttling message of PutRecord(s).
std::string WriteThrottledMessage(const StreamKey& key, uint32_t shard_index);

// The total size of a PutRecords request (data plus partition keys) may not exceed this.
constexpr size_t kPutRecordsMaxBytes = 10 * 1024 * 1024;

}  // namespace kemu::actions
