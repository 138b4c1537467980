// OrderProducer: sends orders to a stream with PutRecords, retrying what failed (whole calls that were
// throttled or hit a server error, and the individual records a partial failure left out) with backoff.
#pragma once

#include <string>
#include <vector>

#include "kinesis_client.h"

namespace orders {

struct Order {
  std::string id;
  std::string payload;
};

class OrderProducer {
 public:
  OrderProducer(const KinesisClient& client, std::string stream, int max_attempts = 5);
  // True when every order was stored; attempts() tells how many calls it took.
  bool Send(const std::vector<Order>& orders);
  int attempts() const { return attempts_; }

 private:
  const KinesisClient& client_;
  std::string stream_;
  int max_attempts_;
  int attempts_ = 0;
};

}  // namespace orders
