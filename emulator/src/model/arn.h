// Kinesis ARNs: the one place they are parsed and formatted.
//
//   stream    arn:<partition>:kinesis:<region>:<account>:stream/<name>
//   consumer  arn:<partition>:kinesis:<region>:<account>:stream/<name>/consumer/<consumer>:<creation epoch seconds>
//
// Parsing is a single left-to-right pass over the text (no regular expression, no recursion), so its cost is linear
// in the ARN's length whatever it holds. The model's pattern constraints have already been checked when an ARN
// reaches these functions from a request.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kemu {

// A stream's address: the account and region it lives in, and its name.
struct StreamKey {
  std::string account;
  std::string region;
  std::string name;
};

struct Arn {
  std::string partition, region, account;
  std::string resource;  // after the fifth colon: "stream/<name>" or "stream/<name>/consumer/<c>:<t>"
};
// Any Kinesis ARN, split into its fields; nullopt when it is not arn:<p>:kinesis:<r>:<a>:<resource>.
std::optional<Arn> ParseArn(std::string_view text);

// The stream of a stream ARN (stream/<name>, with no further '/').
std::optional<StreamKey> ParseStreamArn(std::string_view text);

struct ConsumerArn {
  StreamKey stream;
  std::string name;
};
// A consumer ARN's stream and consumer name.
std::optional<ConsumerArn> ParseConsumerArn(std::string_view text);

// The stream name inside a stream or consumer ARN; empty when the text is neither.
std::string StreamNameInArn(std::string_view text);

// The partition of a region: aws, aws-cn, aws-us-gov, ...
std::string PartitionOf(std::string_view region);
std::string StreamArn(std::string_view region, std::string_view account, std::string_view name);
std::string ConsumerArnOf(std::string_view stream_arn, std::string_view consumer, int64_t created_epoch_s);

}  // namespace kemu
