#include "kemu/messages.h"

#include <ctime>

namespace kemu::messages {

namespace {
std::string Join(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (std::string_view p : parts) s.append(p);
  return s;
}
}  // namespace

std::string JavaDate(int64_t epoch_ms) {
  // Floor, not truncation: java.util.Date prints an instant before the epoch in the second it falls in.
  int64_t seconds = epoch_ms / 1000;
  if (epoch_ms % 1000 < 0) --seconds;
  const auto t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%a %b %d %H:%M:%S UTC %Y", &tm);
  return buf;
}

std::string WriteThrottled(std::string_view shard_id, std::string_view stream, std::string_view account) {
  return Join({"Rate exceeded for shard ", shard_id, " in stream ", stream, " under account ", account, "."});
}

std::string ReadThrottled(std::string_view shard_id, std::string_view stream, std::string_view account) {
  return Join({"Rate exceeded for Shard - ", account, "/", stream, "/", shard_id});
}

std::string StreamRateExceeded(std::string_view stream, std::string_view account) {
  return Join({"Rate exceeded for stream ", stream, " under account ", account, "."});
}

std::string AccountRateExceeded(std::string_view account) { return Join({"Rate exceeded for account ", account, "."}); }

std::string IteratorExpired(int64_t issued_ms, int64_t now_ms) {
  return "Iterator expired. The iterator was created at time " + JavaDate(issued_ms) + " while right now it is " +
         JavaDate(now_ms) + " which is further in the future than the tolerated delay of 300000 milliseconds.";
}

std::string_view KmsFailure(ErrorCode code) {
  switch (code) {
    case ErrorCode::kKmsAccessDenied:
      return "The request was rejected because access to the KMS key was denied.";
    case ErrorCode::kKmsDisabled:
      return "The request was rejected because the KMS key is disabled.";
    case ErrorCode::kKmsInvalidState:
      return "The request was rejected because the state of the KMS key is not valid for this request.";
    case ErrorCode::kKmsNotFound:
      return "The request was rejected because the KMS key could not be found.";
    case ErrorCode::kKmsOptInRequired:
      return "The AWS access key ID needs a subscription for the service.";
    case ErrorCode::kKmsThrottling:
      return "The request was denied due to request throttling by KMS.";
    default:
      return "";
  }
}

}  // namespace kemu::messages
