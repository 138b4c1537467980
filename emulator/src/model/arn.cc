#include "model/arn.h"

namespace kemu {

namespace {
constexpr std::string_view kStreamPrefix = "stream/";
constexpr std::string_view kConsumerInfix = "/consumer/";
}  // namespace

std::optional<Arn> ParseArn(std::string_view text) {
  std::string_view parts[5];
  size_t pos = 0;
  for (auto& part : parts) {
    const size_t colon = text.find(':', pos);
    if (colon == std::string_view::npos) return std::nullopt;
    part = text.substr(pos, colon - pos);
    pos = colon + 1;
  }
  if (parts[0] != "arn" || parts[2] != "kinesis") return std::nullopt;
  return Arn{std::string(parts[1]), std::string(parts[3]), std::string(parts[4]), std::string(text.substr(pos))};
}

std::optional<StreamKey> ParseStreamArn(std::string_view text) {
  auto arn = ParseArn(text);
  if (!arn || arn->resource.rfind(kStreamPrefix, 0) != 0 ||
      arn->resource.find('/', kStreamPrefix.size()) != std::string::npos) {
    return std::nullopt;
  }
  return StreamKey{arn->account, arn->region, arn->resource.substr(kStreamPrefix.size())};
}

std::optional<ConsumerArn> ParseConsumerArn(std::string_view text) {
  auto arn = ParseArn(text);
  if (!arn || arn->resource.rfind(kStreamPrefix, 0) != 0) return std::nullopt;
  const std::string& r = arn->resource;
  const size_t mid = r.find(kConsumerInfix);
  if (mid == std::string::npos) return std::nullopt;
  std::string stream = r.substr(kStreamPrefix.size(), mid - kStreamPrefix.size());
  const std::string rest = r.substr(mid + kConsumerInfix.size());
  const size_t colon = rest.rfind(':');
  if (stream.empty() || colon == std::string::npos || colon == 0) return std::nullopt;
  return ConsumerArn{{arn->account, arn->region, std::move(stream)}, rest.substr(0, colon)};
}

std::string StreamNameInArn(std::string_view text) {
  auto arn = ParseArn(text);
  if (!arn || arn->resource.rfind(kStreamPrefix, 0) != 0) return "";
  const std::string rest = arn->resource.substr(kStreamPrefix.size());
  return rest.substr(0, rest.find('/'));
}

std::string PartitionOf(std::string_view region) {
  if (region.rfind("cn-", 0) == 0) return "aws-cn";
  if (region.rfind("us-gov-", 0) == 0) return "aws-us-gov";
  if (region.rfind("us-iso-", 0) == 0) return "aws-iso";
  if (region.rfind("us-isob-", 0) == 0) return "aws-iso-b";
  return "aws";
}

std::string StreamArn(std::string_view region, std::string_view account, std::string_view name) {
  std::string arn = "arn:" + PartitionOf(region) + ":kinesis:";
  arn.append(region).append(":").append(account).append(":").append(kStreamPrefix).append(name);
  return arn;
}

std::string ConsumerArnOf(std::string_view stream_arn, std::string_view consumer, int64_t created_epoch_s) {
  std::string arn(stream_arn);
  arn.append(kConsumerInfix).append(consumer).append(":").append(std::to_string(created_epoch_s));
  return arn;
}

}  // namespace kemu
