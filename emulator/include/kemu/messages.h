// AWS's error texts that more than one part of the emulator writes: the actions, the backend and the fault
// plugins (whose errors must read exactly as the real ones do). One home, so a text is fixed in one place;
// docs/aws_error_texts.md has the sources.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "kemu/status.h"

namespace kemu::messages {

// A date as java.util.Date#toString() prints it in UTC: "Thu Dec 03 09:06:23 UTC 2026".
std::string JavaDate(int64_t epoch_ms);

// PutRecord and PutRecords' per-record ProvisionedThroughputExceededException.
std::string WriteThrottled(std::string_view shard_id, std::string_view stream, std::string_view account);
// GetRecords' ProvisionedThroughputExceededException.
std::string ReadThrottled(std::string_view shard_id, std::string_view stream, std::string_view account);
// LimitExceededException (and GetShardIterator's throttling) on one stream, and on the account.
std::string StreamRateExceeded(std::string_view stream, std::string_view account);
std::string AccountRateExceeded(std::string_view account);
// GetRecords' ExpiredIteratorException for an iterator issued at `issued_ms`, read at `now_ms`.
std::string IteratorExpired(int64_t issued_ms, int64_t now_ms);
// A PutRecords record that failed with InternalFailure.
inline constexpr std::string_view kInternalFailure = "Internal service failure.";
// The default text of each KMS exception (kKmsAccessDenied ... kKmsThrottling); empty for any other code.
std::string_view KmsFailure(ErrorCode code);

}  // namespace kemu::messages
