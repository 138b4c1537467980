#include "order_producer.h"

#include <chrono>
#include <thread>

namespace orders {

OrderProducer::OrderProducer(const KinesisClient& client, std::string stream, int max_attempts)
    : client_(client), stream_(std::move(stream)), max_attempts_(max_attempts) {}

bool OrderProducer::Send(const std::vector<Order>& orders) {
  std::vector<Order> pending = orders;
  attempts_ = 0;
  for (int attempt = 0; attempt < max_attempts_ && !pending.empty(); ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10 << attempt));
    ++attempts_;
    nlohmann::json records = nlohmann::json::array();
    for (const auto& o : pending) records.push_back({{"PartitionKey", o.id}, {"Data", Base64Encode(o.payload)}});
    KinesisReply reply = client_.Call("PutRecords", {{"StreamName", stream_}, {"Records", records}});
    if (reply.status != 200) {
      if (!reply.retryable()) return false;
      continue;
    }
    std::vector<Order> failed;
    const auto& results = reply.body["Records"];
    for (size_t i = 0; i < results.size() && i < pending.size(); ++i) {
      if (results[i].contains("ErrorCode")) failed.push_back(pending[i]);
    }
    pending = std::move(failed);
  }
  return pending.empty();
}

}  // namespace orders
