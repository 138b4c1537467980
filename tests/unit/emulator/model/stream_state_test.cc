#include "model/stream_state.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/api_model.h"
#include "model/account_settings.h"

namespace kemu {
namespace {

// Each enum's names are exactly the API model's, so what goes on the wire and into the Store is what AWS sends.
std::vector<std::string> ModelEnum(const std::string& shape) {
  const api::Shape* found = api::ApiModel::Kinesis().FindShape(shape);
  return found == nullptr ? std::vector<std::string>{} : found->enum_values;
}

template <typename E, typename Parse>
void ExpectModelNames(const std::string& shape, std::initializer_list<E> values, Parse parse) {
  std::vector<std::string> names;
  for (E v : values) {
    names.emplace_back(ToString(v));
    EXPECT_EQ(parse(ToString(v)), v) << names.back();
  }
  EXPECT_EQ(names, ModelEnum(shape));
  EXPECT_FALSE(parse("active").has_value());
  EXPECT_FALSE(parse("").has_value());
}

TEST(StreamStateTest, NamesAreTheModelsAndRoundTrip) {
  ExpectModelNames("StreamStatus",
                   {StreamStatus::kCreating, StreamStatus::kDeleting, StreamStatus::kActive, StreamStatus::kUpdating},
                   ParseStreamStatus);
  ExpectModelNames("ConsumerStatus", {ConsumerStatus::kCreating, ConsumerStatus::kDeleting, ConsumerStatus::kActive},
                   ParseConsumerStatus);
  ExpectModelNames("StreamMode", {StreamMode::kProvisioned, StreamMode::kOnDemand}, ParseStreamMode);
  ExpectModelNames("EncryptionType", {EncryptionType::kNone, EncryptionType::kKms}, ParseEncryptionType);
  ExpectModelNames(
      "MinimumThroughputBillingCommitmentOutputStatus",
      {CommitmentStatus::kEnabled, CommitmentStatus::kDisabled, CommitmentStatus::kEnabledUntilEarliestAllowedEnd},
      ParseCommitmentStatus);
}

}  // namespace
}  // namespace kemu
