// The example's tests: its producer and consumer against kinesis-emulator, with faults injected.
#include <gtest/gtest.h>

#include "kemu/testing/emulator_test.h"
#include "order_consumer.h"
#include "order_producer.h"

using kemu::testing::EmulatorTest;
using kemu::testing::Fault;

class OrdersTest : public EmulatorTest {
 protected:
  std::vector<orders::Order> MakeOrders(int n) {
    std::vector<orders::Order> out;
    for (int i = 0; i < n; ++i) out.push_back({"order-" + std::to_string(i), "payload-" + std::to_string(i)});
    return out;
  }
};

TEST_F(OrdersTest, ProducerRetriesThrottledCalls) {
  ASSERT_TRUE(CreateStream("orders", 1));
  auto throttle = InjectFault(Fault::Throttle().OnOperation("PutRecords").Times(2));
  orders::KinesisClient client(endpoint(), region());
  orders::OrderProducer producer(client, "orders");
  ASSERT_TRUE(producer.Send(MakeOrders(10)));
  EXPECT_EQ(producer.attempts(), 3);
  EXPECT_EQ(throttle.fired(), 2);
  EXPECT_EQ(ReadAll("orders").size(), 10u);
}

TEST_F(OrdersTest, ProducerResendsOnlyTheRecordsThatFailed) {
  ASSERT_TRUE(CreateStream("orders", 1));
  auto partial = InjectFault(Fault::PartialFailure(0.3).Times(1).Seed(11));
  orders::KinesisClient client(endpoint(), region());
  orders::OrderProducer producer(client, "orders");
  ASSERT_TRUE(producer.Send(MakeOrders(20)));
  EXPECT_EQ(producer.attempts(), 2);
  auto stored = ReadAll("orders");
  EXPECT_EQ(stored.size(), 20u);  // each order exactly once
  std::set<std::string> unique;
  for (const auto& r : stored) unique.insert(r.data);
  EXPECT_EQ(unique.size(), 20u);
}

TEST_F(OrdersTest, ProducerSurvivesServerErrorsAndDroppedConnections) {
  ASSERT_TRUE(CreateStream("orders", 1));
  auto unavailable = InjectFault(Fault::Error("ServiceUnavailable").Times(1));
  auto reset =
      InjectFault(Fault::ConnectionReset().Times(1));  // rules are consulted in order: 503 first, then the reset
  orders::KinesisClient client(endpoint(), region());
  orders::OrderProducer producer(client, "orders");
  ASSERT_TRUE(producer.Send(MakeOrders(5)));
  EXPECT_EQ(producer.attempts(), 3);
  EXPECT_EQ(unavailable.fired(), 1);
  EXPECT_EQ(reset.fired(), 1);
  EXPECT_EQ(ReadAll("orders").size(), 5u);
}

TEST_F(OrdersTest, ConsumerRenewsExpiredIteratorsWithoutLosingOrRepeatingRecords) {
  ASSERT_TRUE(CreateStream("orders", 1));
  orders::KinesisClient client(endpoint(), region());
  orders::OrderProducer producer(client, "orders");
  ASSERT_TRUE(producer.Send(MakeOrders(8)));
  auto expired = InjectFault(Fault::ExpiredIterator().After(1).Times(1));
  orders::OrderConsumer consumer(client, "orders", "shardId-000000000000");
  auto payloads = consumer.ReadAll();
  ASSERT_TRUE(payloads.has_value());
  EXPECT_EQ(payloads->size(), 8u);
  EXPECT_EQ(consumer.iterator_refreshes(), 1);
  EXPECT_EQ(payloads->front(), "payload-0");
  EXPECT_EQ(payloads->back(), "payload-7");
}
