// The wire plugins (bandwidth, slicer, stall, slow-close, and connection-reset's mid-body mode): their catalogues,
// the WireFault each asks for and nothing else, and on the endpoint: the answer becomes a shaped stream with the
// framing the transports use, the call itself runs, and a stall "until the rule is removed" ends with the rule.
#include "http/shaped_stream.h"
#include "plugin_test_base.h"

namespace kemu {
namespace {

class WirePluginsTest : public PluginTest {
 protected:
  // Nothing but the wire part is set.
  static void ExpectOnlyWire(const FaultEffect& e) {
    EXPECT_FALSE(e.pass);
    EXPECT_TRUE(e.error.ok());
    EXPECT_EQ(e.delay.count(), 0);
    EXPECT_TRUE(e.failed_records.empty());
    EXPECT_FALSE(e.change);
    EXPECT_FALSE(e.wire.drop);
    EXPECT_TRUE(e.wire.shapes());
  }
  // Pulls a shaped answer to its end (or reset).
  static std::pair<std::string, ResponseStream::State> Drain(ResponseStream& s) {
    std::string all;
    for (int i = 0; i < 10000; ++i) {
      std::string out;
      const ResponseStream::State state = s.Pull(out);
      all += out;
      if (state != ResponseStream::State::kMore) return {all, state};
      if (out.empty()) s.Wait(s.PollWithin());
    }
    return {all, ResponseStream::State::kMore};
  }
};

TEST_F(WirePluginsTest, Catalogues) {
  auto params = [&](const PluginInfo& info) {
    EXPECT_FALSE(info.description.empty());
    const PluginInfo* registered = plugins_.Find(info.name);
    EXPECT_NE(registered, nullptr) << info.name;
    return CatalogueWithoutParamDescriptions(info)["params"];
  };
  EXPECT_EQ(params(plugins::BandwidthPlugin()), Json::parse(R"([
    {"name":"bytes_per_second","type":"integer","required":true,"min":1,"max":10000000000}])"));
  EXPECT_EQ(params(plugins::SlicerPlugin()), Json::parse(R"([
    {"name":"bytes","type":"integer","required":false,"default":16,"min":1,"max":16777216},
    {"name":"delay_ms","type":"integer","required":false,"default":5,"min":0,"max":60000}])"));
  EXPECT_EQ(params(plugins::StallPlugin()), Json::parse(R"([
    {"name":"ms","type":"integer","required":false,"default":0,"min":0,"max":3600000},
    {"name":"after_bytes","type":"integer","required":false,"default":-1,"min":-1,"max":10000000000}])"));
  EXPECT_EQ(params(plugins::SlowClosePlugin()), Json::parse(R"([
    {"name":"ms","type":"integer","required":false,"default":1000,"min":1,"max":3600000}])"));
  EXPECT_EQ(params(plugins::ConnectionResetPlugin()), Json::parse(R"([
    {"name":"when","type":"string","required":false,"default":"before","choices":["before","mid-body"]},
    {"name":"after_bytes","type":"integer","required":false,"default":-1,"min":-1,"max":10000000000},
    {"name":"http2","type":"string","required":false,"default":"rst_stream","choices":["rst_stream","goaway"]}])"));
}

TEST_F(WirePluginsTest, BadParamsAreRefused) {
  ExpectRefused({{"plugin", "bandwidth"}}, "params.bytes_per_second is required");
  ExpectRefused({{"plugin", "bandwidth"}, {"params", {{"bytes_per_second", 0}}}},
                "params.bytes_per_second must be between 1 and 10000000000");
  ExpectRefused({{"plugin", "slicer"}, {"params", {{"bytes", 0}}}}, "params.bytes must be between 1 and 16777216");
  ExpectRefused({{"plugin", "stall"}, {"params", {{"after_bytes", -2}}}},
                "params.after_bytes must be between -1 and 10000000000");
  ExpectRefused({{"plugin", "slow-close"}, {"params", {{"ms", 0}}}}, "params.ms must be between 1 and 3600000");
  ExpectRefused({{"plugin", "connection-reset"}, {"params", {{"when", "after"}}}},
                "params.when must be one of before, mid-body; got after");
}

TEST_F(WirePluginsTest, EachAsksForItsWireFaultOnly) {
  const FaultContext call = Context("GetRecords", "s", ShardId(0));
  FaultEffect bw = Apply(plugins::BandwidthPlugin(), call, {{"bytes_per_second", 1234}});
  ExpectOnlyWire(bw);
  EXPECT_EQ(bw.wire.bytes_per_second, 1234);

  FaultEffect sl = Apply(plugins::SlicerPlugin(), call);
  ExpectOnlyWire(sl);
  EXPECT_EQ(sl.wire.slice_bytes, 16);
  EXPECT_EQ(sl.wire.slice_delay.count(), 5);

  FaultEffect st = Apply(plugins::StallPlugin(), call, {{"ms", 250}, {"after_bytes", 7}});
  ExpectOnlyWire(st);
  EXPECT_EQ(st.wire.stall_at_bytes, 7);
  EXPECT_EQ(st.wire.stall_for.count(), 250);
  EXPECT_EQ(Apply(plugins::StallPlugin(), call).wire.stall_at_bytes, WireFault::kHalf);

  FaultEffect sc = Apply(plugins::SlowClosePlugin(), call, {{"ms", 40}});
  ExpectOnlyWire(sc);
  EXPECT_EQ(sc.wire.close_delay.count(), 40);

  FaultEffect mid = Apply(plugins::ConnectionResetPlugin(), call, {{"when", "mid-body"}, {"http2", "goaway"}});
  ExpectOnlyWire(mid);
  EXPECT_EQ(mid.wire.reset_at_bytes, WireFault::kHalf);
  EXPECT_TRUE(mid.wire.reset_whole_connection);
  FaultEffect before = Apply(plugins::ConnectionResetPlugin(), call);
  EXPECT_TRUE(before.wire.drop);
  EXPECT_FALSE(before.wire.shapes());
}

TEST_F(WirePluginsTest, OnTheEndpointTheAnswerIsShapedWithItsLength) {
  CreateStream("s");
  Put("s", "k", "payload");
  AddRule({{"plugin", "slicer"}, {"match", {{"operation", "DescribeStreamSummary"}}}, {"params", {{"bytes", 10}}}});
  HttpResponse r = endpoint_->Handle(Request("DescribeStreamSummary", {{"StreamName", "s"}}));
  EXPECT_EQ(r.status, 200);
  ASSERT_NE(r.stream, nullptr);
  ASSERT_TRUE(r.stream_length.has_value());
  auto [body, state] = Drain(*r.stream);
  EXPECT_EQ(state, ResponseStream::State::kEnd);
  EXPECT_EQ(body.size(), *r.stream_length);
  EXPECT_EQ(Json::parse(body)["StreamDescriptionSummary"]["StreamName"], "s");
}

TEST_F(WirePluginsTest, AMidBodyResetComesAfterTheCallRan) {
  CreateStream("s");
  AddRule({{"plugin", "connection-reset"},
           {"match", {{"operation", "PutRecord"}}},
           {"count", 1},
           {"params", {{"when", "mid-body"}, {"after_bytes", 5}}}});
  HttpResponse r = endpoint_->Handle(
      Request("PutRecord", {{"StreamName", "s"}, {"PartitionKey", "k"}, {"Data", Base64Encode("stored")}}));
  ASSERT_NE(r.stream, nullptr);
  auto [body, state] = Drain(*r.stream);
  EXPECT_EQ(state, ResponseStream::State::kReset);
  EXPECT_EQ(body.size(), 5u);
  // The client saw no answer, but the record is stored: its retry stores a second copy.
  Put("s", "k", "stored");
  EXPECT_EQ(ReadAll("s", ShardId(0)), (std::vector<std::string>{"stored", "stored"}));
}

TEST_F(WirePluginsTest, AStallUntilRemovedEndsWithTheRule) {
  CreateStream("s");
  const std::string id = AddRule({{"plugin", "stall"}, {"match", {{"operation", "ListShards"}}}});
  HttpResponse r = endpoint_->Handle(Request("ListShards", {{"StreamName", "s"}}));
  ASSERT_NE(r.stream, nullptr);
  std::string first;
  EXPECT_EQ(r.stream->Pull(first), ResponseStream::State::kMore);
  EXPECT_EQ(first.size(), *r.stream_length / 2);
  std::string more;
  EXPECT_EQ(r.stream->Pull(more), ResponseStream::State::kMore);
  EXPECT_TRUE(more.empty());
  ASSERT_EQ(PostRule({}).status, 400);  // (the admin API is up)
  HttpRequest del;
  del.method = "DELETE";
  del.path = "/_emulator/faults/" + id;
  EXPECT_EQ(admin_->Handle(del).status, 204);
  auto [rest, state] = Drain(*r.stream);
  EXPECT_EQ(state, ResponseStream::State::kEnd);
  EXPECT_EQ(Json::parse(first + rest)["Shards"].size(), 1u);
}

TEST_F(WirePluginsTest, AStallEndsWithTheRulesDurationOnTheClock) {
  CreateStream("s");
  AddRule({{"plugin", "stall"}, {"match", {{"operation", "ListShards"}}}, {"duration_ms", 60000}});
  HttpResponse r = endpoint_->Handle(Request("ListShards", {{"StreamName", "s"}}));
  ASSERT_NE(r.stream, nullptr);
  std::string first;
  r.stream->Pull(first);
  std::string more;
  EXPECT_EQ(r.stream->Pull(more), ResponseStream::State::kMore);
  EXPECT_TRUE(more.empty());
  clock_.Advance(60000);
  auto [rest, state] = Drain(*r.stream);
  EXPECT_EQ(state, ResponseStream::State::kEnd);
  EXPECT_FALSE(rest.empty());
}

}  // namespace
}  // namespace kemu
