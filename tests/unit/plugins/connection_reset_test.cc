// The connection-reset plugin in its default mode ("before"): a wire fault (the connection closed without an
// answer) on any call, and on the wire: no answer, and the call did not run. The mid-body mode is in
// wire_plugins_test.cc.
#include "plugin_test_base.h"

namespace kemu {
namespace {

class ConnectionResetPluginTest : public PluginTest {
 protected:
  const PluginInfo info_ = plugins::ConnectionResetPlugin();
};

TEST_F(ConnectionResetPluginTest, Catalogue) {
  EXPECT_EQ(info_.name, "connection-reset");
  EXPECT_FALSE(info_.description.empty());
  const PluginInfo* registered = plugins_.Find("connection-reset");
  ASSERT_NE(registered, nullptr);
  EXPECT_EQ(PluginCatalogueEntry(*registered), PluginCatalogueEntry(info_));
}

TEST_F(ConnectionResetPluginTest, UnknownParamIsRefused) {
  ExpectRefused({{"plugin", "connection-reset"}, {"params", {{"ms", 10}}}},
                "params.ms is not a parameter of connection-reset");
}

TEST_F(ConnectionResetPluginTest, DropsTheConnectionOnEveryCall) {
  for (const char* op : {"PutRecord", "PutRecords", "GetRecords", "SubscribeToShard", "ListStreams"}) {
    FaultEffect e = Apply(info_, Context(op, "s", ShardId(0)));
    EXPECT_TRUE(e.wire.drop) << op;
    EXPECT_FALSE(e.pass) << op;
    EXPECT_TRUE(e.error.ok()) << op;
    EXPECT_EQ(e.delay.count(), 0) << op;
    EXPECT_TRUE(e.failed_records.empty()) << op;
    EXPECT_FALSE(e.change) << op;
  }
  EXPECT_TRUE(Apply(info_, FaultContext{}).wire.drop);
}

TEST_F(ConnectionResetPluginTest, OnTheWireNoAnswerAndNothingStored) {
  CreateStream("s");
  const std::string id =
      AddRule({{"plugin", "connection-reset"}, {"match", {{"operation", "PutRecord"}}}, {"count", 1}});
  HttpResponse dropped = endpoint_->Handle(
      Request("PutRecord", {{"StreamName", "s"}, {"PartitionKey", "k"}, {"Data", Base64Encode("lost")}}));
  EXPECT_TRUE(dropped.wire.drop);
  EXPECT_EQ(dropped.body, "");
  EXPECT_EQ(Rule(id)["fired"], 1);
  // The rule is spent: the retry goes through, and only its record is stored.
  Put("s", "k", "retried");
  EXPECT_EQ(ReadAll("s", ShardId(0)), std::vector<std::string>{"retried"});
}

}  // namespace
}  // namespace kemu
