// AdminApi::Handle without a socket: every /_emulator/ route, its validation and error bodies, --admin-token and
// --no-admin, malformed and deeply nested bodies.
#include "admin/admin_api.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "builtin_plugins.h"
#include "store/sqlite_store.h"
#include "util/json_depth.h"

namespace kemu {
namespace {

constexpr int64_t kMaxClockMs = 253402300799999;  // 9999-12-31T23:59:59.999Z

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(1700000000000);
    clock_.Freeze(true);
    plugins::RegisterBuiltinPlugins(plugins_);
    store_ = std::move(SqliteStore::Open("")).value();
    backend_ = std::make_unique<Backend>(*store_, clock_, BackendOptions{});
    ASSERT_TRUE(backend_->Load().ok());
    faults_ = std::make_unique<FaultEngine>(plugins_, clock_, 7);
    limiter_ = std::make_unique<ThroughputLimiter>(clock_);
    MakeAdmin();
  }
  // (Re)builds the endpoint after a change to options_.
  void MakeAdmin() {
    admin_ = std::make_unique<AdminApi>(*backend_, *faults_, journal_, plugins_, clock_, limiter_.get(), options_);
  }

  static HttpRequest Request(const std::string& method, const std::string& path, const std::string& body = "",
                             std::map<std::string, std::string> query = {}) {
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.body = body;
    r.query = std::move(query);
    if (!body.empty()) r.headers["Content-Type"] = "application/json";
    return r;
  }
  HttpResponse Call(const std::string& method, const std::string& path, const std::string& body = "",
                    std::map<std::string, std::string> query = {}) {
    return admin_->Handle(Request(method, path, body, std::move(query)));
  }
  static Json Body(const HttpResponse& r) { return Json::parse(r.body); }
  static Json ErrorBody(const std::string& error, const std::string& message) {
    return {{"error", error}, {"message", message}};
  }
  // Expects a JSON error answer.
  static void ExpectError(const HttpResponse& r, int status, const std::string& error, const std::string& message) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(Json::parse(r.body, nullptr, false), ErrorBody(error, message)) << r.body;
  }
  StreamKey Key(const std::string& name) { return {"000000000000", "us-east-1", name}; }
  void CreateStream(const std::string& name) {
    ASSERT_TRUE(backend_->CreateStream(Key(name), 1, StreamMode::kProvisioned, {}, 1024).ok());
  }
  std::string AddThrottleRule() {
    auto r = Call("POST", "/_emulator/faults", R"({"plugin":"throttle","match":{"operation":"PutRecord"}})");
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r)["id"].get<std::string>();
  }
  void Journal(const std::string& operation, const std::string& stream, int status = 200) {
    CallRecord c;
    c.time_ms = clock_.NowMillis();
    c.operation = operation;
    c.stream = stream;
    c.status = status;
    c.http_version = "1.1";
    journal_.Add(c);
  }
  static std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

  AdjustableClock clock_;
  ServerOptions options_;
  PluginRegistry plugins_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<FaultEngine> faults_;
  std::unique_ptr<ThroughputLimiter> limiter_;
  CallJournal journal_{1000};
  std::unique_ptr<AdminApi> admin_;
};

TEST(AdminApiPathTest, IsAdminPathCoversTheEmulatorPrefixOnly) {
  EXPECT_TRUE(AdminApi::IsAdminPath("/_emulator"));
  EXPECT_TRUE(AdminApi::IsAdminPath("/_emulator/"));
  EXPECT_TRUE(AdminApi::IsAdminPath("/_emulator/health"));
  EXPECT_TRUE(AdminApi::IsAdminPath("/_emulator/faults/fault-1"));
  EXPECT_FALSE(AdminApi::IsAdminPath("/"));
  EXPECT_FALSE(AdminApi::IsAdminPath(""));
  EXPECT_FALSE(AdminApi::IsAdminPath("/_emulatorx"));
  EXPECT_FALSE(AdminApi::IsAdminPath("/_emulato"));
  EXPECT_FALSE(AdminApi::IsAdminPath("/x/_emulator/health"));
  EXPECT_FALSE(AdminApi::IsAdminPath("_emulator/health"));
}

TEST_F(AdminApiTest, HealthReportsStatusVersionAndUptime) {
  auto r = Call("GET", "/_emulator/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  Json body = Body(r);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_EQ(body["version"], KEMU_VERSION);
  ASSERT_TRUE(body["uptime_ms"].is_number_integer());
  EXPECT_GE(body["uptime_ms"].get<int64_t>(), 0);
  EXPECT_EQ(body.size(), 3u);
}

TEST_F(AdminApiTest, ResetRemovesStreamsFaultsJournalAndThrottleState) {
  CreateStream("a");
  CreateStream("b");
  const std::string id = AddThrottleRule();
  Journal("PutRecord", "a");
  // Spend shard 0's read calls (5 a second) so that a reset visibly refills them.
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(limiter_->AdmitRead(1, 0));
  ASSERT_FALSE(limiter_->AdmitRead(1, 0));
  AccountSettings before = backend_->GetAccountSettings("000000000000");
  ASSERT_TRUE(backend_->SetMinimumThroughputBillingCommitment("000000000000", true).ok());

  auto r = Call("POST", "/_emulator/reset");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Body(r), (Json{{"status", "reset"}}));
  EXPECT_TRUE(backend_->ListStreams("000000000000", "us-east-1").empty());
  EXPECT_EQ(backend_->GetStream(Key("a")).status().code(), ErrorCode::kResourceNotFound);
  EXPECT_TRUE(faults_->ListRules().empty());
  EXPECT_FALSE(faults_->GetRule(id).has_value());
  EXPECT_TRUE(journal_.Query("", "", 10).empty());
  EXPECT_TRUE(limiter_->AdmitRead(1, 0));
  // Configuration stays: the clock where the test put it, account settings as they were.
  EXPECT_EQ(clock_.NowMillis(), 1700000000000);
  EXPECT_TRUE(clock_.frozen());
  EXPECT_EQ(backend_->GetAccountSettings("000000000000").commitment_status, CommitmentStatus::kEnabled);
  EXPECT_NE(before.commitment_status, CommitmentStatus::kEnabled);
  // A stream of the same name can be created again.
  CreateStream("a");
}

TEST_F(AdminApiTest, ResetIsWhatTheInProcessFixtureCalls) {
  CreateStream("a");
  AddThrottleRule();
  ASSERT_TRUE(admin_->Reset().ok());
  EXPECT_TRUE(backend_->ListStreams("000000000000", "us-east-1").empty());
  EXPECT_TRUE(faults_->ListRules().empty());
}

TEST_F(AdminApiTest, PluginsListEveryRegisteredPluginWithItsParameters) {
  auto r = Call("GET", "/_emulator/plugins");
  EXPECT_EQ(r.status, 200);
  Json body = Body(r);
  ASSERT_TRUE(body["plugins"].is_array());
  ASSERT_EQ(body["plugins"].size(), plugins_.all().size());
  ASSERT_GE(body["plugins"].size(), 1u);
  bool saw_throttle = false;
  for (const auto& p : body["plugins"]) {
    const PluginInfo* info = plugins_.Find(p["name"].get<std::string>());
    ASSERT_NE(info, nullptr) << p.dump();
    EXPECT_EQ(p["description"], info->description);
    EXPECT_FALSE(p["description"].get<std::string>().empty()) << p["name"];
    EXPECT_EQ(p, PluginCatalogueEntry(*info));
    ASSERT_EQ(p["params"].size(), info->params.size());
    EXPECT_EQ(p.size(), 3u);
    if (p["name"] == "throttle") {
      saw_throttle = true;
      EXPECT_EQ(p["params"][0], (Json{{"name", "fraction"},
                                      {"type", "number"},
                                      {"description", "PutRecords: share of the records that fail"},
                                      {"required", false},
                                      {"default", 1.0},
                                      {"min", 0.0},
                                      {"max", 1.0}}))
          << p.dump();
    }
  }
  EXPECT_TRUE(saw_throttle);
}

TEST_F(AdminApiTest, FaultsAddListGetDelete) {
  EXPECT_EQ(Body(Call("GET", "/_emulator/faults")), (Json{{"faults", Json::array()}}));

  auto added = Call("POST", "/_emulator/faults",
                    R"({"plugin":"throttle","match":{"operation":"PutRecord","stream":"s"},"count":2,"after":1,)"
                    R"("probability":0.5,"duration_ms":60000,"seed":9,"params":{"fraction":0.25}})");
  EXPECT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.content_type, "application/json");
  Json rule = Body(added);
  EXPECT_EQ(rule["id"], "fault-1");
  EXPECT_EQ(rule["plugin"], "throttle");
  EXPECT_EQ(rule["match"], (Json{{"operation", "PutRecord"}, {"stream", "s"}}));
  EXPECT_EQ(rule["count"], 2);
  EXPECT_EQ(rule["after"], 1);
  EXPECT_EQ(rule["probability"], 0.5);
  EXPECT_EQ(rule["duration_ms"], 60000);
  EXPECT_EQ(rule["seed"], 9);
  EXPECT_EQ(rule["params"], (Json{{"fraction", 0.25}}));
  EXPECT_EQ(rule["hits"], 0);
  EXPECT_EQ(rule["fired"], 0);
  EXPECT_EQ(rule["remaining"], 2);
  EXPECT_EQ(rule["created_ms"], 1700000000000);
  EXPECT_EQ(rule["expired"], false);

  // Defaults of a minimal rule.
  auto second_added = Call("POST", "/_emulator/faults", R"({"plugin":"connection-reset"})");
  EXPECT_EQ(second_added.status, 201) << second_added.body;
  Json second = Body(second_added);
  EXPECT_EQ(second["id"], "fault-2");
  EXPECT_EQ(second["match"], Json::object());
  EXPECT_EQ(second["probability"], 1.0);
  EXPECT_TRUE(second["count"].is_null());
  EXPECT_TRUE(second["remaining"].is_null());
  EXPECT_TRUE(second["duration_ms"].is_null());
  EXPECT_EQ(second["after"], 0);

  auto listed = Call("GET", "/_emulator/faults");
  EXPECT_EQ(listed.status, 200);
  Json faults = Body(listed)["faults"];
  ASSERT_EQ(faults.size(), 2u);
  EXPECT_EQ(faults[0], rule);
  EXPECT_EQ(faults[1]["id"], "fault-2");

  auto got = Call("GET", "/_emulator/faults/fault-1");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(Body(got), rule);

  // A rule's duration is measured on the emulator clock.
  clock_.Advance(60000);
  EXPECT_EQ(Body(Call("GET", "/_emulator/faults/fault-1"))["expired"], true);

  auto deleted = Call("DELETE", "/_emulator/faults/fault-1");
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  ExpectError(Call("GET", "/_emulator/faults/fault-1"), 404, "NotFound", "no fault rule fault-1");
  ExpectError(Call("DELETE", "/_emulator/faults/fault-1"), 404, "NotFound", "no fault rule fault-1");
  ExpectError(Call("GET", "/_emulator/faults/nope"), 404, "NotFound", "no fault rule nope");
  ASSERT_EQ(Body(Call("GET", "/_emulator/faults"))["faults"].size(), 1u);

  AddThrottleRule();
  auto cleared = Call("DELETE", "/_emulator/faults");
  EXPECT_EQ(cleared.status, 204);
  EXPECT_TRUE(cleared.body.empty());
  EXPECT_EQ(Body(Call("GET", "/_emulator/faults")), (Json{{"faults", Json::array()}}));
  // Ids are never reused.
  EXPECT_EQ(AddThrottleRule(), "fault-4");
}

TEST_F(AdminApiTest, InvalidRulesAreRefusedWithTheFieldNamed) {
  struct Case {
    std::string body, message;
  };
  const std::vector<Case> cases = {
      {R"({})", "plugin is required and must be a string"},
      {R"({"plugin":5})", "plugin is required and must be a string"},
      {R"({"plugin":"throttle","colour":"red"})", "colour is not a field of a fault rule"},
      {R"({"plugin":"throttle","match":"PutRecord"})", "match must be an object"},
      {R"({"plugin":"throttle","match":{"op":"PutRecord"}})",
       "match.op is not a match field (operation, stream, shard, region, account, consumer)"},
      {R"({"plugin":"throttle","match":{"stream":5}})", "match.stream must be a string or a non-empty list of strings"},
      {R"({"plugin":"throttle","match":{"stream":[]}})",
       "match.stream must be a string or a non-empty list of strings"},
      {R"({"plugin":"throttle","start_in_ms":-1})", "start_in_ms must be a non-negative integer"},
      {R"({"plugin":"throttle","probability":1.5})", "probability must be a number between 0 and 1"},
      {R"({"plugin":"throttle","probability":-0.1})", "probability must be a number between 0 and 1"},
      {R"({"plugin":"throttle","probability":"1"})", "probability must be a number between 0 and 1"},
      {R"({"plugin":"throttle","count":-1})", "count must be a non-negative integer"},
      {R"({"plugin":"throttle","count":1.5})", "count must be a non-negative integer"},
      {R"({"plugin":"throttle","after":"2"})", "after must be a non-negative integer"},
      {R"({"plugin":"throttle","duration_ms":-5})", "duration_ms must be a non-negative integer"},
      {R"({"plugin":"throttle","seed":-5})", "seed must be a non-negative integer"},
      {R"({"plugin":"throttle","params":[1]})", "params must be an object"},
      {R"({"plugin":"throttle","params":{"fraction":2}})", "params.fraction must be between 0 and 1"},
      {R"({"plugin":"throttle","params":{"fraction":"all"}})", "params.fraction must be a number"},
      {R"({"plugin":"throttle","params":{"speed":1}})", "params.speed is not a parameter of throttle"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    ExpectError(Call("POST", "/_emulator/faults", c.body), 400, "InvalidRule", c.message);
  }
  // The unknown-plugin message lists what is known.
  std::string known;
  for (const auto& [name, _] : plugins_.all()) known += (known.empty() ? "" : ", ") + name;
  ExpectError(Call("POST", "/_emulator/faults", R"({"plugin":"nope"})"), 400, "InvalidRule",
              "plugin nope is unknown; known plugins: " + known);
  EXPECT_TRUE(faults_->ListRules().empty());
}

TEST_F(AdminApiTest, MalformedBodiesAreRefused) {
  for (const std::string body : {"{nope", "[]", "5", "\"text\"", "null", "{\"plugin\":\"throttle\""}) {
    SCOPED_TRACE(body);
    ExpectError(Call("POST", "/_emulator/faults", body), 400, "InvalidRule", "the body must be a JSON object");
    ExpectError(Call("POST", "/_emulator/clock", body), 400, "InvalidClockRequest", "the body must be a JSON object");
  }
  EXPECT_TRUE(faults_->ListRules().empty());
  EXPECT_EQ(clock_.NowMillis(), 1700000000000);
}

TEST_F(AdminApiTest, NestingGuardRefusesBodiesDeeperThanTheLimit) {
  // At the limit the body is parsed (and refused only for not being an object); one level more is not parsed.
  ExpectError(Call("POST", "/_emulator/faults", Nested(kMaxJsonNesting)), 400, "InvalidRule",
              "the body must be a JSON object");
  ExpectError(Call("POST", "/_emulator/faults", Nested(kMaxJsonNesting + 1)), 400, "InvalidRule",
              "the body nests deeper than 64 levels");
  ExpectError(Call("POST", "/_emulator/clock", Nested(kMaxJsonNesting + 1)), 400, "InvalidClockRequest",
              "the body nests deeper than 64 levels");
  // A rule whose params nest deep: the object itself counts as a level.
  const std::string params = "{\"plugin\":\"latency\",\"params\":{\"x\":" + Nested(kMaxJsonNesting - 2) + "}}";
  EXPECT_EQ(Call("POST", "/_emulator/faults", params).status, 400);  // parsed: latency has no parameter x
  const std::string deeper = "{\"plugin\":\"latency\",\"params\":{\"x\":" + Nested(kMaxJsonNesting) + "}}";
  ExpectError(Call("POST", "/_emulator/faults", deeper), 400, "InvalidRule", "the body nests deeper than 64 levels");
  // Very deep input is refused just the same (and does not exhaust the stack).
  ExpectError(Call("POST", "/_emulator/faults", Nested(200000)), 400, "InvalidRule",
              "the body nests deeper than 64 levels");
}

TEST_F(AdminApiTest, ClockGetSetAdvanceFreeze) {
  auto got = Call("GET", "/_emulator/clock");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(Body(got), (Json{{"now_ms", 1700000000000}, {"frozen", true}}));

  auto set = Call("POST", "/_emulator/clock", R"({"set_ms":1800000000000})");
  EXPECT_EQ(set.status, 200);
  EXPECT_EQ(Body(set), (Json{{"now_ms", 1800000000000}, {"frozen", true}}));
  EXPECT_EQ(clock_.NowMillis(), 1800000000000);

  EXPECT_EQ(Body(Call("POST", "/_emulator/clock", R"({"advance_ms":300001})"))["now_ms"], 1800000300001);
  EXPECT_EQ(Body(Call("POST", "/_emulator/clock", R"({"advance_ms":-1})"))["now_ms"], 1800000300000);
  // set_ms applies before advance_ms.
  EXPECT_EQ(Body(Call("POST", "/_emulator/clock", R"({"advance_ms":5,"set_ms":1000})"))["now_ms"], 1005);

  auto thawed = Call("POST", "/_emulator/clock", R"({"freeze":false})");
  EXPECT_EQ(Body(thawed)["frozen"], false);
  EXPECT_FALSE(clock_.frozen());
  auto frozen = Call("POST", "/_emulator/clock", R"({"freeze":true,"set_ms":42})");
  EXPECT_EQ(Body(frozen), (Json{{"now_ms", 42}, {"frozen", true}}));
  EXPECT_TRUE(clock_.frozen());
  EXPECT_EQ(clock_.NowMillis(), 42);
}

TEST_F(AdminApiTest, ClockRangeChecksLeaveTheClockUntouched) {
  struct Case {
    std::string body, message;
  };
  const std::string range = "advance_ms would move the clock before 1970 or after 9999-12-31T23:59:59.999Z";
  const std::vector<Case> cases = {
      {R"({})", "give advance_ms, set_ms or freeze"},
      {"", "give advance_ms, set_ms or freeze"},
      {R"({"speed":2})", "speed is not a clock field (advance_ms, set_ms, freeze)"},
      {R"({"set_ms":5,"speed":2})", "speed is not a clock field (advance_ms, set_ms, freeze)"},
      {R"({"set_ms":-1})", "set_ms must be a non-negative integer (epoch milliseconds)"},
      {R"({"set_ms":"5"})", "set_ms must be a non-negative integer (epoch milliseconds)"},
      {R"({"set_ms":1.5})", "set_ms must be a non-negative integer (epoch milliseconds)"},
      {R"({"set_ms":null})", "set_ms must be a non-negative integer (epoch milliseconds)"},
      {R"({"set_ms":18446744073709551615})", "set_ms must be a non-negative integer (epoch milliseconds)"},
      {R"({"set_ms":253402300800000})", "set_ms must not be after 9999-12-31T23:59:59.999Z"},
      {R"({"advance_ms":"1"})", "advance_ms must be an integer"},
      {R"({"advance_ms":1.5})", "advance_ms must be an integer"},
      {R"({"advance_ms":-1700000000001})", range},
      {R"({"advance_ms":253402300799999})", range},
      {R"({"advance_ms":9223372036854775807})", range},
      {R"({"advance_ms":-9223372036854775808})", range},
      {R"({"advance_ms":9223372036854775808})", range},
      {R"({"set_ms":10,"advance_ms":-11})", range},
      {R"({"set_ms":253402300799999,"advance_ms":1})", range},
      {R"({"freeze":"yes"})", "freeze must be true or false"},
      {R"({"freeze":1})", "freeze must be true or false"},
      {R"({"freeze":false,"set_ms":-1})", "set_ms must be a non-negative integer (epoch milliseconds)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    ExpectError(Call("POST", "/_emulator/clock", c.body), 400, "InvalidClockRequest", c.message);
    EXPECT_EQ(clock_.NowMillis(), 1700000000000);
    EXPECT_TRUE(clock_.frozen());
  }
}

TEST_F(AdminApiTest, ClockAcceptsBothEndsOfItsRange) {
  EXPECT_EQ(Body(Call("POST", "/_emulator/clock", R"({"advance_ms":-1700000000000})"))["now_ms"], 0);
  EXPECT_EQ(Body(Call("POST", "/_emulator/clock", R"({"set_ms":0})"))["now_ms"], 0);
  EXPECT_EQ(Body(Call("POST", "/_emulator/clock", R"({"set_ms":253402300799999})"))["now_ms"], kMaxClockMs);
  EXPECT_EQ(Body(Call("POST", "/_emulator/clock", R"({"advance_ms":0})"))["now_ms"], kMaxClockMs);
  EXPECT_EQ(Body(Call("POST", "/_emulator/clock", R"({"set_ms":0,"advance_ms":253402300799999})"))["now_ms"],
            kMaxClockMs);
}

TEST_F(AdminApiTest, CallsAreFilteredAndLimitedOldestFirst) {
  Journal("CreateStream", "a");
  Journal("PutRecord", "a");
  Journal("PutRecord", "b", 400);
  Journal("ListStreams", "");
  Journal("PutRecord", "a");

  auto seqs = [&](std::map<std::string, std::string> query) {
    auto r = Call("GET", "/_emulator/calls", "", std::move(query));
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<uint64_t> out;
    const Json body = Body(r);
    for (const auto& c : body["calls"]) out.push_back(c["seq"].get<uint64_t>());
    return out;
  };
  using Seqs = std::vector<uint64_t>;
  EXPECT_EQ(seqs({}), (Seqs{1, 2, 3, 4, 5}));
  EXPECT_EQ(seqs({{"operation", "PutRecord"}}), (Seqs{2, 3, 5}));
  EXPECT_EQ(seqs({{"stream", "a"}}), (Seqs{1, 2, 5}));
  EXPECT_EQ(seqs({{"operation", "PutRecord"}, {"stream", "a"}}), (Seqs{2, 5}));
  EXPECT_EQ(seqs({{"operation", "PutRecord"}, {"limit", "2"}}), (Seqs{3, 5}));  // the most recent, oldest first
  EXPECT_EQ(seqs({{"limit", "1"}}), Seqs{5});
  EXPECT_EQ(seqs({{"limit", "1000000"}}), (Seqs{1, 2, 3, 4, 5}));
  EXPECT_EQ(seqs({{"operation", "GetRecords"}}), Seqs{});
  // Empty filters match everything.
  EXPECT_EQ(seqs({{"operation", ""}, {"stream", ""}}), (Seqs{1, 2, 3, 4, 5}));

  Json call = Body(Call("GET", "/_emulator/calls", "", {{"limit", "3"}}))["calls"];
  ASSERT_EQ(call.size(), 3u);
  EXPECT_EQ(call[0], (Json{{"seq", 3},
                           {"time_ms", 1700000000000},
                           {"operation", "PutRecord"},
                           {"stream", "b"},
                           {"shard", nullptr},
                           {"status", 400},
                           {"error", nullptr},
                           {"fault_id", nullptr},
                           {"http_version", "1.1"}}));
  EXPECT_TRUE(call[1]["stream"].is_null());  // a call that names no stream
}

TEST_F(AdminApiTest, CallsDefaultToTheLatestHundred) {
  for (int i = 0; i < 150; ++i) Journal("PutRecord", "s");
  Json calls = Body(Call("GET", "/_emulator/calls"))["calls"];
  ASSERT_EQ(calls.size(), 100u);
  EXPECT_EQ(calls.front()["seq"], 51);
  EXPECT_EQ(calls.back()["seq"], 150);
}

TEST_F(AdminApiTest, CallsLimitMustBeAPositiveInteger) {
  for (const std::string limit : {"0", "-1", "", "abc", "5x", "1.5"}) {
    SCOPED_TRACE(limit);
    ExpectError(Call("GET", "/_emulator/calls", "", {{"limit", limit}}), 400, "InvalidRequest",
                "limit must be a positive integer");
  }
}

TEST_F(AdminApiTest, UnknownPathsAreNotFound) {
  for (const std::string path :
       {"/_emulator", "/_emulator/", "/_emulator/nope", "/_emulator/faults/", "/_emulator/faults/fault-1/x",
        "/_emulator/health/x", "/_emulator/Health", "/_emulator/clock/now"}) {
    SCOPED_TRACE(path);
    ExpectError(Call("GET", path), 404, "NotFound", "GET " + path + " is not an admin resource");
  }
}

// A method a resource does not serve must change nothing, whatever the answer's status.
TEST_F(AdminApiTest, WrongMethodsChangeNothing) {
  CreateStream("s");
  const std::string id = AddThrottleRule();
  Journal("PutRecord", "s");
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/_emulator/reset"},
                                                        {"DELETE", "/_emulator/reset"},
                                                        {"PUT", "/_emulator/faults"},
                                                        {"PATCH", "/_emulator/faults"},
                                                        {"POST", "/_emulator/plugins"},
                                                        {"PUT", "/_emulator/clock"},
                                                        {"DELETE", "/_emulator/clock"},
                                                        {"POST", "/_emulator/calls"},
                                                        {"DELETE", "/_emulator/calls"},
                                                        {"POST", "/_emulator/health"},
                                                        {"PUT", "/_emulator/faults/" + id},
                                                        {"POST", "/_emulator/faults/" + id}}) {
    SCOPED_TRACE(method + " " + path);
    auto r = Call(method, path, R"({"set_ms":1})");
    EXPECT_GE(r.status, 400);
    EXPECT_LT(r.status, 500);
    EXPECT_EQ(r.content_type, "application/json");
  }
  EXPECT_TRUE(backend_->GetStream(Key("s")).ok());
  EXPECT_EQ(faults_->ListRules().size(), 1u);
  EXPECT_EQ(journal_.Query("", "", 10).size(), 1u);
  EXPECT_EQ(clock_.NowMillis(), 1700000000000);
}

// RFC 9110 15.5.6: a method the resource does not support is 405 with an Allow header naming those it does.
TEST_F(AdminApiTest, WrongMethodsOnKnownResourcesAre405WithAllow) {
  const std::string id = AddThrottleRule();
  for (const auto& [method, path, allow] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"GET", "/_emulator/reset", "POST"},
           {"PUT", "/_emulator/faults", "GET, POST, DELETE"},
           {"POST", "/_emulator/plugins", "GET"},
           {"DELETE", "/_emulator/clock", "GET, POST"},
           {"POST", "/_emulator/calls", "GET"},
           {"POST", "/_emulator/health", "GET"},
           {"POST", "/_emulator/faults/" + id, "GET, DELETE"}}) {
    SCOPED_TRACE(method + " " + path);
    auto r = Call(method, path);
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(Body(r).value("error", ""), "MethodNotAllowed");
    std::map<std::string, std::string> headers(r.headers.begin(), r.headers.end());
    EXPECT_EQ(headers["Allow"], allow);
  }
}

TEST_F(AdminApiTest, AdminTokenIsRequiredExceptForHealth) {
  options_.admin_token = "s3cret";
  MakeAdmin();
  auto expect_refused = [&](HttpRequest r) {
    auto out = admin_->Handle(r);
    ExpectError(out, 401, "Unauthorized", "the admin endpoint needs Authorization: Bearer <admin token>");
    std::map<std::string, std::string> headers(out.headers.begin(), out.headers.end());
    EXPECT_EQ(headers["WWW-Authenticate"], "Bearer");
  };
  CreateStream("s");
  HttpRequest reset = Request("POST", "/_emulator/reset");
  expect_refused(reset);  // missing
  for (const std::string given : {"Bearer wrong", "Bearer s3cre", "Bearer s3cret2", "Bearer  s3cret", "s3cret",
                                  "Basic s3cret", "Bearer ", "Bearer s3cret "}) {
    SCOPED_TRACE(given);
    reset.headers["Authorization"] = given;
    expect_refused(reset);
  }
  EXPECT_TRUE(backend_->GetStream(Key("s")).ok());  // nothing was reset
  // Unknown paths are refused too, before routing (an unauthorized caller learns nothing).
  expect_refused(Request("GET", "/_emulator/nope"));
  expect_refused(Request("GET", "/_emulator/faults"));
  expect_refused(Request("GET", "/_emulator/clock"));

  // Health never needs the token.
  EXPECT_EQ(Call("GET", "/_emulator/health").status, 200);

  // The right token opens every route.
  auto with_token = [](HttpRequest r) {
    r.headers["Authorization"] = "Bearer s3cret";
    return r;
  };
  EXPECT_EQ(admin_->Handle(with_token(Request("GET", "/_emulator/faults"))).status, 200);
  EXPECT_EQ(admin_->Handle(with_token(Request("GET", "/_emulator/plugins"))).status, 200);
  EXPECT_EQ(admin_->Handle(with_token(Request("GET", "/_emulator/calls"))).status, 200);
  EXPECT_EQ(admin_->Handle(with_token(Request("POST", "/_emulator/clock", R"({"advance_ms":1})"))).status, 200);
  EXPECT_EQ(admin_->Handle(with_token(Request("POST", "/_emulator/faults", R"({"plugin":"connection-reset"})"))).status,
            201);
  EXPECT_EQ(admin_->Handle(with_token(Request("POST", "/_emulator/reset"))).status, 200);
  EXPECT_EQ(backend_->GetStream(Key("s")).status().code(), ErrorCode::kResourceNotFound);
}

TEST_F(AdminApiTest, NoAdminLeavesOnlyHealth) {
  options_.disable_admin = true;
  options_.admin_token = "s3cret";
  MakeAdmin();
  CreateStream("s");
  EXPECT_EQ(Call("GET", "/_emulator/health").status, 200);
  const std::string message = "the admin endpoint is turned off (--no-admin); only health answers";
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{{"POST", "/_emulator/reset"},
                                                                                     {"GET", "/_emulator/plugins"},
                                                                                     {"GET", "/_emulator/faults"},
                                                                                     {"POST", "/_emulator/faults"},
                                                                                     {"DELETE", "/_emulator/faults"},
                                                                                     {"GET", "/_emulator/clock"},
                                                                                     {"POST", "/_emulator/clock"},
                                                                                     {"GET", "/_emulator/calls"},
                                                                                     {"GET", "/_emulator/nope"},
                                                                                     {"POST", "/_emulator/health"}}) {
    SCOPED_TRACE(method + " " + path);
    HttpRequest r = Request(method, path, R"({"plugin":"latency","set_ms":5})");
    r.headers["Authorization"] = "Bearer s3cret";  // the token does not turn it back on
    ExpectError(admin_->Handle(r), 404, "AdminDisabled", message);
  }
  EXPECT_TRUE(backend_->GetStream(Key("s")).ok());
  EXPECT_TRUE(faults_->ListRules().empty());
  EXPECT_EQ(clock_.NowMillis(), 1700000000000);
}

TEST_F(AdminApiTest, ExperimentsStartListGetStop) {
  CreateStream("orders");
  const std::string tpl = R"({"targets":{"s":{"resourceType":"aws:kinesis:stream","selectionMode":"ALL",
      "resourceArns":["arn:aws:kinesis:us-east-1:000000000000:stream/orders"]}},
      "actions":{"a":{"actionId":"aws:fis:inject-api-internal-error","parameters":{"duration":"PT1M"},
      "targets":{"KinesisStreams":"s"}}}})";
  auto started = Call("POST", "/_emulator/experiments", tpl);
  ASSERT_EQ(started.status, 201) << started.body;
  const std::string id = Body(started)["id"];
  EXPECT_EQ(Body(started)["state"]["status"], "running");
  EXPECT_EQ(Body(Call("GET", "/_emulator/experiments"))["experiments"].size(), 1u);
  EXPECT_EQ(Body(Call("GET", "/_emulator/faults"))["faults"][0]["owner"], id);
  auto got = Call("GET", "/_emulator/experiments/" + id);
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(Body(got)["actions"]["a"]["rules"].size(), 1u);
  auto stopped = Call("DELETE", "/_emulator/experiments/" + id);
  EXPECT_EQ(stopped.status, 200);
  EXPECT_EQ(Body(stopped)["state"]["status"], "stopped");
  EXPECT_EQ(Body(Call("GET", "/_emulator/faults"))["faults"].size(), 0u);
  ExpectError(Call("GET", "/_emulator/experiments/EXP99"), 404, "NotFound", "no experiment EXP99");
  ExpectError(Call("DELETE", "/_emulator/experiments/EXP99"), 404, "NotFound", "no experiment EXP99");
  ExpectError(Call("POST", "/_emulator/experiments", R"({"actions":{"a":{"actionId":"aws:ec2:reboot-instances"}}})"),
              400, "InvalidExperimentTemplate",
              "actions.a.actionId aws:ec2:reboot-instances is not supported by the emulator; supported: "
              "aws:kinesis:inject-api-provisioned-throughput-exception, "
              "aws:kinesis:inject-api-expired-iterator-exception, aws:kinesis:stream-provisioned-throughput-exception, "
              "aws:kinesis:stream-expired-iterator-exception, aws:fis:inject-api-throttle-error, "
              "aws:fis:inject-api-internal-error, aws:fis:inject-api-unavailable-error");
  ExpectError(Call("POST", "/_emulator/experiments", "[1]"), 400, "InvalidExperimentTemplate",
              "the body must be a JSON object");
  auto put = Call("PUT", "/_emulator/experiments");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(Call("POST", "/_emulator/experiments/" + id).status, 405);
  // Reset forgets experiments.
  ASSERT_EQ(Call("POST", "/_emulator/experiments", tpl).status, 201);
  ASSERT_EQ(Call("POST", "/_emulator/reset").status, 200);
  EXPECT_EQ(Body(Call("GET", "/_emulator/experiments"))["experiments"].size(), 0u);
}

TEST_F(AdminApiTest, OutageStartGetEnd) {
  EXPECT_EQ(Body(Call("GET", "/_emulator/outage")), Json({{"active", false}}));
  auto started = Call("POST", "/_emulator/outage", R"({"duration_ms":5000,"status":500})");
  ASSERT_EQ(started.status, 201) << started.body;
  EXPECT_EQ(Body(started)["active"], true);
  EXPECT_EQ(Body(Call("GET", "/_emulator/outage"))["remaining_ms"], 5000);
  EXPECT_EQ(Call("DELETE", "/_emulator/outage").status, 204);
  EXPECT_EQ(Body(Call("GET", "/_emulator/outage"))["active"], false);
  ExpectError(Call("POST", "/_emulator/outage", R"({"status":503})"), 400, "InvalidOutage",
              "duration_ms is required and must be a positive integer (milliseconds on the emulator clock)");
  EXPECT_EQ(Call("PUT", "/_emulator/outage").status, 405);
}

}  // namespace
}  // namespace kemu
