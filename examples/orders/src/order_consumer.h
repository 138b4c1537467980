// OrderConsumer: reads a shard from the start, getting a new iterator (after the last record it delivered)
// when Kinesis says the old one expired, and backing off when reads are throttled.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kinesis_client.h"

namespace orders {

class OrderConsumer {
 public:
  OrderConsumer(const KinesisClient& client, std::string stream, std::string shard_id);
  // Reads until caught up; returns the payloads in order, or nullopt on a non-retryable error.
  std::optional<std::vector<std::string>> ReadAll();
  int iterator_refreshes() const { return iterator_refreshes_; }

 private:
  std::optional<std::string> NewIterator();

  const KinesisClient& client_;
  std::string stream_;
  std::string shard_id_;
  std::string last_sequence_number_;
  int iterator_refreshes_ = 0;
};

}  // namespace orders
