#include "order_consumer.h"

#include <chrono>
#include <thread>

namespace orders {

OrderConsumer::OrderConsumer(const KinesisClient& client, std::string stream, std::string shard_id)
    : client_(client), stream_(std::move(stream)), shard_id_(std::move(shard_id)) {}

std::optional<std::string> OrderConsumer::NewIterator() {
  nlohmann::json request = {{"StreamName", stream_}, {"ShardId", shard_id_}, {"ShardIteratorType", "TRIM_HORIZON"}};
  if (!last_sequence_number_.empty()) {
    request["ShardIteratorType"] = "AFTER_SEQUENCE_NUMBER";
    request["StartingSequenceNumber"] = last_sequence_number_;
  }
  KinesisReply reply = client_.Call("GetShardIterator", request);
  if (reply.status != 200) return std::nullopt;
  return reply.body["ShardIterator"].get<std::string>();
}

std::optional<std::vector<std::string>> OrderConsumer::ReadAll() {
  std::vector<std::string> payloads;
  auto iterator = NewIterator();
  if (!iterator) return std::nullopt;
  for (int calls = 0; calls < 1000; ++calls) {
    KinesisReply reply = client_.Call("GetRecords", {{"ShardIterator", *iterator}});
    if (reply.error_type() == "ExpiredIteratorException") {
      ++iterator_refreshes_;
      iterator = NewIterator();
      if (!iterator) return std::nullopt;
      continue;
    }
    if (reply.status != 200) {
      if (!reply.retryable()) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    for (const auto& r : reply.body["Records"]) {
      payloads.push_back(Base64Decode(r["Data"].get<std::string>()));
      last_sequence_number_ = r["SequenceNumber"].get<std::string>();
    }
    if (!reply.body.contains("NextShardIterator")) break;
    if (reply.body["Records"].empty() && reply.body["MillisBehindLatest"] == 0) break;
    iterator = reply.body["NextShardIterator"].get<std::string>();
  }
  return payloads;
}

}  // namespace orders
