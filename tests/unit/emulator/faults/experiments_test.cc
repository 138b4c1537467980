// FIS experiments: template parsing (every 400), the state machine on the emulator clock, target resolution
// (ARNs, tags, selection modes, roles), the rules each action becomes and what a call then gets.
#include "faults/experiments.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "builtin_plugins.h"
#include "http/error_mapping.h"
#include "store/sqlite_store.h"

namespace kemu {
namespace {

constexpr const char* kArn = "arn:aws:kinesis:us-east-1:000000000000:stream/orders";

Json Action(const std::string& id, Json params = {{"duration", "PT1M"}}) {
  return {{"actionId", id}, {"parameters", std::move(params)}};
}

// A template with one action on the stream "orders" by ARN.
Json OneAction(const std::string& id, Json params = {{"duration", "PT1M"}}) {
  Json action = Action(id, std::move(params));
  action["targets"] = {{"KinesisStreams", "streams"}};
  return {{"description", "one action"},
          {"targets",
           {{"streams", {{"resourceType", "aws:kinesis:stream"}, {"resourceArns", {kArn}}, {"selectionMode", "ALL"}}}}},
          {"actions", {{"a", action}}},
          {"stopConditions", {{{"source", "none"}}}},
          {"roleArn", "arn:aws:iam::000000000000:role/fis"}};
}

std::string ParseError(const Json& body) {
  auto r = ParseExperimentTemplate(body);
  EXPECT_FALSE(r.ok());
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  return r.status().message();
}

TEST(IsoDurationTest, HoursMinutesSecondsAndFractions) {
  EXPECT_EQ(ParseIsoDuration("PT1M"), 60000);
  EXPECT_EQ(ParseIsoDuration("PT12H"), 12 * 3600000);
  EXPECT_EQ(ParseIsoDuration("PT1H30M"), 5400000);
  EXPECT_EQ(ParseIsoDuration("PT90S"), 90000);
  EXPECT_EQ(ParseIsoDuration("PT1M0.5S"), 60500);
  for (const char* bad : {"", "PT", "P1D", "1M", "PT1", "PTM", "PT1M1H", "PT1M1M", "PT1.5M", "pt1m", "PT-1M", "PT1X"}) {
    EXPECT_FALSE(ParseIsoDuration(bad).has_value()) << bad;
  }
}

TEST(ExperimentTemplateTest, ParsesEveryPartOfAnAwsTemplate) {
  Json body = OneAction("aws:kinesis:inject-api-provisioned-throughput-exception",
                        {{"duration", "PT5M"}, {"percentage", "25"}, {"operations", "PutRecord, GetRecords"}});
  body["actions"]["b"] = Action("aws:fis:inject-api-internal-error", {{"duration", "PT2M"}, {"service", "kinesis"}});
  body["actions"]["b"]["startAfter"] = {"a"};
  body["tags"] = {{"Name", "t"}};
  body["logConfiguration"] = {{"logSchemaVersion", 2}};
  body["experimentOptions"] = {{"accountTargeting", "single-account"}, {"emptyTargetResolutionMode", "skip"}};
  auto r = ParseExperimentTemplate(body);
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ExperimentTemplate& t = r.value();
  EXPECT_EQ(t.description, "one action");
  ASSERT_EQ(t.actions.size(), 2u);
  EXPECT_EQ(t.actions[0].kind, FisActionKind::kProvisionedThroughput);
  EXPECT_EQ(t.actions[0].operations, (std::vector<std::string>{"PutRecord", "GetRecords"}));
  EXPECT_EQ(t.actions[0].percentage, 25);
  EXPECT_EQ(t.actions[0].duration_ms, 300000);
  EXPECT_EQ(t.actions[0].start_offset_ms, 0);
  EXPECT_EQ(t.actions[1].kind, FisActionKind::kInternalError);
  EXPECT_TRUE(t.actions[1].operations.empty());  // generic, no operations: every call
  EXPECT_EQ(t.actions[1].percentage, 100);
  EXPECT_EQ(t.actions[1].start_offset_ms, 300000);  // after a's 5 minutes
  EXPECT_EQ(t.empty_targets, EmptyTargetMode::kSkip);
  ASSERT_EQ(t.targets.count("streams"), 1u);
  EXPECT_EQ(t.targets.at("streams").arns, std::vector<std::string>{kArn});
  EXPECT_FALSE(t.notes.empty());  // roleArn, logConfiguration
}

TEST(ExperimentTemplateTest, DefaultsOperationsToWhatTheKinesisActionsApplyTo) {
  auto pte = ParseExperimentTemplate(OneAction("aws:kinesis:inject-api-provisioned-throughput-exception"));
  ASSERT_TRUE(pte.ok());
  EXPECT_EQ(pte.value().actions[0].operations, (std::vector<std::string>{"PutRecord", "PutRecords", "GetRecords"}));
  auto expired = ParseExperimentTemplate(OneAction("aws:kinesis:inject-api-expired-iterator-exception"));
  ASSERT_TRUE(expired.ok());
  EXPECT_EQ(expired.value().actions[0].operations, std::vector<std::string>{"GetRecords"});
}

TEST(ExperimentTemplateTest, StartAfterChainsTakeTheLatestEnd) {
  Json body = {{"actions",
                {{"first", Action("aws:fis:inject-api-throttle-error", {{"duration", "PT2M"}})},
                 {"second", Action("aws:fis:inject-api-throttle-error", {{"duration", "PT5M"}})},
                 {"third", Action("aws:fis:inject-api-throttle-error", {{"duration", "PT1M"}})}}}};
  body["actions"]["third"]["startAfter"] = {"first", "second"};
  body["actions"]["second"]["startAfter"] = {"first"};
  auto r = ParseExperimentTemplate(body);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r.value().actions[0].start_offset_ms, 0);       // first
  EXPECT_EQ(r.value().actions[1].start_offset_ms, 120000);  // second, after first
  EXPECT_EQ(r.value().actions[2].start_offset_ms, 420000);  // third, after second (2 + 5 minutes)
}

TEST(ExperimentTemplateTest, AGetExperimentTemplateAnswerIsAccepted) {
  Json answer = {{"experimentTemplate", OneAction("aws:fis:inject-api-unavailable-error")}};
  answer["experimentTemplate"]["id"] = "EXT123";
  answer["experimentTemplate"]["creationTime"] = 1700000000;
  EXPECT_TRUE(ParseExperimentTemplate(answer).ok());
}

TEST(ExperimentTemplateTest, EveryBadTemplateIsRefusedNamingTheField) {
  const std::string pte = "aws:kinesis:inject-api-provisioned-throughput-exception";
  EXPECT_EQ(ParseError(Json::array()), "the experiment template must be a JSON object");
  EXPECT_EQ(ParseError({{"actions", Json::object()}}), "actions is required: an object of named actions, at least one");
  EXPECT_EQ(ParseError({{"targets", Json::object()}}), "actions is required: an object of named actions, at least one");
  Json unknown = OneAction(pte);
  unknown["bogus"] = 1;
  EXPECT_EQ(ParseError(unknown), "bogus is not a field of an FIS experiment template");

  EXPECT_EQ(ParseError({{"actions", {{"a", Action("aws:ec2:stop-instances")}}}}),
            "actions.a.actionId aws:ec2:stop-instances is not supported by the emulator; supported: "
            "aws:kinesis:inject-api-provisioned-throughput-exception, "
            "aws:kinesis:inject-api-expired-iterator-exception, aws:kinesis:stream-provisioned-throughput-exception, "
            "aws:kinesis:stream-expired-iterator-exception, aws:fis:inject-api-throttle-error, "
            "aws:fis:inject-api-internal-error, aws:fis:inject-api-unavailable-error");
  EXPECT_EQ(ParseError({{"actions", {{"a", {{"parameters", {{"duration", "PT1M"}}}}}}}}),
            "actions.a.actionId is required and must be a string");
  EXPECT_EQ(ParseError({{"actions", {{"a", 5}}}}), "actions.a must be an object");
  Json extra_field = OneAction(pte);
  extra_field["actions"]["a"]["repeat"] = true;
  EXPECT_EQ(ParseError(extra_field),
            "actions.a.repeat is not a field of an experiment action (actionId, description, parameters, targets, "
            "startAfter)");

  EXPECT_EQ(ParseError(OneAction(pte, Json::object())),
            "actions.a.parameters.duration is required (ISO-8601, PT1M to PT12H)");
  EXPECT_EQ(ParseError(OneAction(pte, {{"duration", "PT30S"}})),
            "actions.a.parameters.duration must be an ISO-8601 duration from PT1M to PT12H; got PT30S");
  EXPECT_EQ(ParseError(OneAction(pte, {{"duration", "PT13H"}})),
            "actions.a.parameters.duration must be an ISO-8601 duration from PT1M to PT12H; got PT13H");
  EXPECT_EQ(ParseError(OneAction(pte, {{"duration", "5 minutes"}})),
            "actions.a.parameters.duration must be an ISO-8601 duration from PT1M to PT12H; got 5 minutes");
  EXPECT_EQ(ParseError(OneAction(pte, {{"duration", "PT1M"}, {"percentage", "0"}})),
            "actions.a.parameters.percentage must be an integer from 1 to 100; got 0");
  EXPECT_EQ(ParseError(OneAction(pte, {{"duration", "PT1M"}, {"percentage", "101"}})),
            "actions.a.parameters.percentage must be an integer from 1 to 100; got 101");
  EXPECT_EQ(ParseError(OneAction(pte, {{"duration", "PT1M"}, {"percentage", "5%"}})),
            "actions.a.parameters.percentage must be an integer from 1 to 100; got 5%");
  EXPECT_EQ(ParseError(OneAction(pte, {{"duration", "PT1M"}, {"percentage", true}})),
            "actions.a.parameters.percentage must be a string");
  EXPECT_EQ(ParseError(OneAction(pte, {{"duration", "PT1M"}, {"operations", "DescribeStream"}})),
            "actions.a.parameters.operations: DescribeStream is not an operation " + pte +
                " applies to (PutRecord, PutRecords, GetRecords)");
  EXPECT_EQ(ParseError(OneAction(pte, {{"duration", "PT1M"}, {"operations", "PutRecord,,GetRecords"}})),
            "actions.a.parameters.operations must be a comma-separated list of operations; got PutRecord,,GetRecords");
  EXPECT_EQ(ParseError(OneAction("aws:fis:inject-api-internal-error", {{"duration", "PT1M"}, {"operations", "Nope"}})),
            "actions.a.parameters.operations: Nope is not a Kinesis operation");
  EXPECT_EQ(ParseError(OneAction("aws:fis:inject-api-internal-error", {{"duration", "PT1M"}, {"service", "ec2"}})),
            "actions.a.parameters.service must be kinesis (the only service the emulator serves); got ec2");
  EXPECT_EQ(ParseError(OneAction(pte, {{"duration", "PT1M"}, {"service", "s3"}})),
            "actions.a.parameters.service must be kinesis (the only service the emulator serves); got s3");
  EXPECT_EQ(
      ParseError(OneAction(pte, {{"duration", "PT1M"}, {"region", "us-east-1"}})),
      "actions.a.parameters.region is not a parameter of " + pte + " (service, operations, percentage, duration)");

  Json bad_target_ref = OneAction(pte);
  bad_target_ref["actions"]["a"]["targets"] = {{"KinesisStreams", "nope"}};
  EXPECT_EQ(ParseError(bad_target_ref), "actions.a.targets names nope, which is not a target");
  Json bad_after = OneAction(pte);
  bad_after["actions"]["a"]["startAfter"] = {"z"};
  EXPECT_EQ(ParseError(bad_after), "actions.a.startAfter names z, which is not an action");
  Json self_after = OneAction(pte);
  self_after["actions"]["a"]["startAfter"] = {"a"};
  EXPECT_EQ(ParseError(self_after), "actions.a.startAfter names the action itself");
  Json cycle = {{"actions", {{"a", Action(pte)}, {"b", Action(pte)}}}};
  cycle["actions"]["a"]["startAfter"] = {"b"};
  cycle["actions"]["b"]["startAfter"] = {"a"};
  EXPECT_EQ(ParseError(cycle), "actions.a.startAfter forms a cycle");

  auto with_target = [&](Json target) {
    Json body = OneAction(pte);
    body["targets"]["streams"] = std::move(target);
    return ParseError(body);
  };
  EXPECT_EQ(with_target({{"resourceType", "aws:ec2:instance"}, {"resourceArns", {kArn}}, {"selectionMode", "ALL"}}),
            "targets.streams.resourceType aws:ec2:instance is not supported; supported: aws:kinesis:stream, "
            "aws:iam:role");
  EXPECT_EQ(with_target({{"resourceArns", {kArn}}, {"selectionMode", "ALL"}}),
            "targets.streams.resourceType is required and must be a string");
  EXPECT_EQ(with_target({{"resourceType", "aws:kinesis:stream"}, {"resourceArns", {kArn}}}),
            "targets.streams.selectionMode is required and must be a string");
  EXPECT_EQ(with_target({{"resourceType", "aws:kinesis:stream"}, {"resourceArns", {kArn}}, {"selectionMode", "SOME"}}),
            "targets.streams.selectionMode must be ALL, COUNT(n) with n >= 1 or PERCENT(n) with n in 1..100; got SOME");
  EXPECT_EQ(
      with_target({{"resourceType", "aws:kinesis:stream"}, {"resourceArns", {kArn}}, {"selectionMode", "PERCENT(0)"}}),
      "targets.streams.selectionMode must be ALL, COUNT(n) with n >= 1 or PERCENT(n) with n in 1..100; got PERCENT(0)");
  EXPECT_EQ(with_target({{"resourceType", "aws:kinesis:stream"}, {"selectionMode", "ALL"}}),
            "targets.streams must have either resourceArns or resourceTags (one of them, not empty)");
  EXPECT_EQ(with_target({{"resourceType", "aws:kinesis:stream"},
                         {"resourceArns", {kArn}},
                         {"resourceTags", {{"env", "test"}}},
                         {"selectionMode", "ALL"}}),
            "targets.streams must have either resourceArns or resourceTags (one of them, not empty)");
  EXPECT_EQ(
      with_target({{"resourceType", "aws:kinesis:stream"}, {"resourceArns", {"orders"}}, {"selectionMode", "ALL"}}),
      "targets.streams.resourceArns[0] is not a stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>): "
      "orders");
  EXPECT_EQ(
      with_target({{"resourceType", "aws:iam:role"}, {"resourceArns", {kArn}}, {"selectionMode", "ALL"}}),
      std::string("targets.streams.resourceArns[0] is not a role ARN (arn:aws:iam::<account>:role/<name>): ") + kArn);
  EXPECT_EQ(
      with_target({{"resourceType", "aws:kinesis:stream"}, {"resourceTags", {{"env", 1}}}, {"selectionMode", "ALL"}}),
      "targets.streams.resourceTags.env must be a string");
  EXPECT_EQ(with_target({{"resourceType", "aws:kinesis:stream"},
                         {"resourceArns", {kArn}},
                         {"selectionMode", "ALL"},
                         {"region", "x"}}),
            "targets.streams.region is not a field of an experiment target (resourceType, resourceArns, resourceTags, "
            "filters, selectionMode, parameters)");

  Json options = OneAction(pte);
  options["experimentOptions"] = {{"emptyTargetResolutionMode", "maybe"}};
  EXPECT_EQ(ParseError(options), "experimentOptions.emptyTargetResolutionMode must be fail or skip; got maybe");
  options["experimentOptions"] = {{"actionsMode", "skip-all"}};
  EXPECT_EQ(ParseError(options),
            "experimentOptions.actionsMode skip-all (a target preview) is not supported by the "
            "emulator");
}

TEST(ExperimentStateTest, ActionsArePendingRunningCompletedOrStoppedOnTheClock) {
  // Runs in [100, 200).
  EXPECT_EQ(ActionStatusAt(100, 200, std::nullopt, 99), ActionStatus::kPending);
  EXPECT_EQ(ActionStatusAt(100, 200, std::nullopt, 100), ActionStatus::kRunning);
  EXPECT_EQ(ActionStatusAt(100, 200, std::nullopt, 199), ActionStatus::kRunning);
  EXPECT_EQ(ActionStatusAt(100, 200, std::nullopt, 200), ActionStatus::kCompleted);
  // Stopped at 150: running then, stopped for ever after.
  EXPECT_EQ(ActionStatusAt(100, 200, 150, 150), ActionStatus::kStopped);
  EXPECT_EQ(ActionStatusAt(100, 200, 150, 500), ActionStatus::kStopped);
  // Stopped before it started: cancelled; after it ended: completed.
  EXPECT_EQ(ActionStatusAt(100, 200, 50, 500), ActionStatus::kCancelled);
  EXPECT_EQ(ActionStatusAt(100, 200, 250, 500), ActionStatus::kCompleted);

  EXPECT_EQ(ExperimentStatusAt(200, std::nullopt, 0), ExperimentStatus::kRunning);
  EXPECT_EQ(ExperimentStatusAt(200, std::nullopt, 200), ExperimentStatus::kCompleted);
  EXPECT_EQ(ExperimentStatusAt(200, 150, 160), ExperimentStatus::kStopped);
  EXPECT_EQ(ExperimentStatusAt(200, 250, 260), ExperimentStatus::kCompleted);
  EXPECT_EQ(ToString(ExperimentStatus::kRunning), "running");
  EXPECT_EQ(ToString(ActionStatus::kCancelled), "cancelled");
}

class ExperimentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_.Set(1700000000000);
    clock_.Freeze(true);
    plugins::RegisterBuiltinPlugins(plugins_);
    store_ = std::move(SqliteStore::Open("")).value();
    backend_ = std::make_unique<Backend>(*store_, clock_, BackendOptions{});
    ASSERT_TRUE(backend_->Load().ok());
    engine_ = std::make_unique<FaultEngine>(plugins_, clock_, 7);
    experiments_ = std::make_unique<Experiments>(*engine_, *backend_, clock_);
  }
  void CreateStream(const std::string& name, std::map<std::string, std::string> tags = {}) {
    ASSERT_TRUE(
        backend_->CreateStream({"000000000000", "us-east-1", name}, 1, StreamMode::kProvisioned, std::move(tags), 1024)
            .ok());
  }
  Json Start(const Json& body) {
    auto r = experiments_->Start(body);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : Json();
  }
  FaultContext Call(const char* op, const char* stream = "orders") {
    FaultContext c;
    c.operation = op;
    c.stream = stream;
    c.shard = "shardId-000000000000";
    c.region = "us-east-1";
    c.account = "000000000000";
    c.now_ms = clock_.NowMillis();
    c.record_count = 3;
    return c;
  }
  // The error a call gets ("" when no rule fires).
  std::string ErrorOf(const FaultContext& c) {
    auto d = engine_->Evaluate(c);
    if (!d) return "";
    if (d->effect.error.ok()) return "(no error)";
    const WireError wire = MapError(d->effect.error);
    return std::string(wire.type) + "/" + std::to_string(wire.http_status);
  }
  std::string Status(const std::string& id) {
    return experiments_->Get(id).value()["state"]["status"].get<std::string>();
  }

  AdjustableClock clock_;
  PluginRegistry plugins_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<Backend> backend_;
  std::unique_ptr<FaultEngine> engine_;
  std::unique_ptr<Experiments> experiments_;
};

TEST_F(ExperimentsTest, EachActionIdGivesTheErrorFisDocuments) {
  CreateStream("orders");
  struct Case {
    const char* action;
    const char* op;
    std::string error;
  };
  const Case cases[] = {
      {"aws:kinesis:inject-api-provisioned-throughput-exception", "PutRecord",
       "ProvisionedThroughputExceededException/400"},
      {"aws:kinesis:inject-api-provisioned-throughput-exception", "PutRecords",
       "ProvisionedThroughputExceededException/400"},  // the whole call, not some records
      {"aws:kinesis:inject-api-provisioned-throughput-exception", "GetRecords",
       "ProvisionedThroughputExceededException/400"},
      {"aws:kinesis:inject-api-expired-iterator-exception", "GetRecords", "ExpiredIteratorException/400"},
      {"aws:fis:inject-api-throttle-error", "ListShards", "ThrottlingException/400"},
      {"aws:fis:inject-api-internal-error", "PutRecord", "InternalFailure/500"},
      {"aws:fis:inject-api-unavailable-error", "DescribeStreamSummary", "ServiceUnavailable/503"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.action);
    Json view = Start(OneAction(c.action));
    EXPECT_EQ(view["state"]["status"], "running");
    EXPECT_EQ(ErrorOf(Call(c.op)), c.error);
    EXPECT_EQ(ErrorOf(Call(c.op, "other")), "");  // another stream is not a target
    experiments_->Stop(view["id"].get<std::string>());
    EXPECT_EQ(ErrorOf(Call(c.op)), "");
  }
  // The Kinesis actions leave the operations they do not apply to alone.
  Start(OneAction("aws:kinesis:inject-api-expired-iterator-exception"));
  EXPECT_EQ(ErrorOf(Call("PutRecord")), "");
}

TEST_F(ExperimentsTest, RunsForItsDurationOnTheEmulatorClockThenCompletes) {
  CreateStream("orders");
  Json view = Start(OneAction("aws:fis:inject-api-internal-error", {{"duration", "PT2M"}}));
  const std::string id = view["id"];
  EXPECT_EQ(view["actions"]["a"]["state"]["status"], "running");
  EXPECT_EQ(view["end_ms"], 1700000000000 + 120000);
  clock_.Advance(119999);
  EXPECT_EQ(ErrorOf(Call("PutRecord")), "InternalFailure/500");
  EXPECT_EQ(Status(id), "running");
  clock_.Advance(1);
  EXPECT_EQ(ErrorOf(Call("PutRecord")), "");
  Json done = experiments_->Get(id).value();
  EXPECT_EQ(done["state"]["status"], "completed");
  EXPECT_EQ(done["actions"]["a"]["state"]["status"], "completed");
  EXPECT_EQ(done["actions"]["a"]["fired"], 1);
  EXPECT_EQ(engine_->RulesOwnedBy(id).size(), 0u);  // its rules are gone, their statistics kept
  // Stopping a completed experiment changes nothing.
  EXPECT_EQ(experiments_->Stop(id).value()["state"]["status"], "completed");
}

TEST_F(ExperimentsTest, StartAfterOrdersTheActions) {
  CreateStream("orders");
  Json body = OneAction("aws:fis:inject-api-throttle-error", {{"duration", "PT1M"}});
  body["actions"]["b"] = Action("aws:fis:inject-api-unavailable-error", {{"duration", "PT1M"}});
  body["actions"]["b"]["targets"] = {{"KinesisStreams", "streams"}};
  body["actions"]["b"]["startAfter"] = {"a"};
  Json view = Start(body);
  const std::string id = view["id"];
  EXPECT_EQ(view["actions"]["b"]["state"]["status"], "pending");
  EXPECT_EQ(ErrorOf(Call("ListShards")), "ThrottlingException/400");
  clock_.Advance(60000);
  EXPECT_EQ(ErrorOf(Call("ListShards")), "ServiceUnavailable/503");
  Json mid = experiments_->Get(id).value();
  EXPECT_EQ(mid["actions"]["a"]["state"]["status"], "completed");
  EXPECT_EQ(mid["actions"]["b"]["state"]["status"], "running");
  EXPECT_EQ(mid["state"]["status"], "running");
  clock_.Advance(60000);
  EXPECT_EQ(ErrorOf(Call("ListShards")), "");
  EXPECT_EQ(Status(id), "completed");
}

TEST_F(ExperimentsTest, StopStopsTheRunningActionAndCancelsThePendingOne) {
  CreateStream("orders");
  Json body = OneAction("aws:fis:inject-api-throttle-error");
  body["actions"]["b"] = Action("aws:fis:inject-api-unavailable-error");
  body["actions"]["b"]["startAfter"] = {"a"};
  const std::string id = Start(body)["id"];
  EXPECT_EQ(ErrorOf(Call("PutRecord")), "ThrottlingException/400");
  clock_.Advance(1000);
  Json stopped = experiments_->Stop(id).value();
  EXPECT_EQ(stopped["state"]["status"], "stopped");
  EXPECT_EQ(stopped["actions"]["a"]["state"]["status"], "stopped");
  EXPECT_EQ(stopped["actions"]["b"]["state"]["status"], "cancelled");
  EXPECT_EQ(stopped["actions"]["a"]["fired"], 1);
  EXPECT_EQ(stopped["end_ms"], 1700000001000);
  EXPECT_EQ(ErrorOf(Call("PutRecord")), "");
  clock_.Advance(600000);
  EXPECT_EQ(ErrorOf(Call("PutRecord")), "");  // b never starts
  EXPECT_EQ(Status(id), "stopped");
  EXPECT_FALSE(experiments_->Stop("EXP404").has_value());
  EXPECT_FALSE(experiments_->Get("EXP404").has_value());
}

TEST_F(ExperimentsTest, PercentageIsTheRulesProbability) {
  CreateStream("orders");
  Start(OneAction("aws:fis:inject-api-internal-error", {{"duration", "PT1M"}, {"percentage", "30"}}));
  int fired = 0;
  for (int i = 0; i < 1000; ++i) fired += ErrorOf(Call("PutRecord")).empty() ? 0 : 1;
  EXPECT_GT(fired, 230);
  EXPECT_LT(fired, 370);
  ASSERT_EQ(engine_->ListRules().size(), 1u);
  EXPECT_DOUBLE_EQ(engine_->ListRules()[0]["probability"].get<double>(), 0.3);
}

TEST_F(ExperimentsTest, TagTargetsResolveToTheTaggedStreamsWhenTheExperimentStarts) {
  CreateStream("orders", {{"env", "test"}, {"team", "a"}});
  CreateStream("payments", {{"env", "test"}});
  CreateStream("audit", {{"env", "prod"}});
  Json body = OneAction("aws:fis:inject-api-internal-error");
  body["targets"]["streams"] = {
      {"resourceType", "aws:kinesis:stream"}, {"resourceTags", {{"env", "test"}}}, {"selectionMode", "ALL"}};
  Json view = Start(body);
  EXPECT_EQ(view["targets"]["streams"]["resources"], Json({"arn:aws:kinesis:us-east-1:000000000000:stream/orders",
                                                           "arn:aws:kinesis:us-east-1:000000000000:stream/payments"}));
  EXPECT_EQ(ErrorOf(Call("PutRecord", "orders")), "InternalFailure/500");
  EXPECT_EQ(ErrorOf(Call("PutRecord", "payments")), "InternalFailure/500");
  EXPECT_EQ(ErrorOf(Call("PutRecord", "audit")), "");
  CreateStream("late", {{"env", "test"}});  // created after the start: not a target
  EXPECT_EQ(ErrorOf(Call("PutRecord", "late")), "");
}

TEST_F(ExperimentsTest, CountAndPercentSelectSomeOfTheResolvedStreams) {
  for (const char* s : {"s1", "s2", "s3", "s4"}) CreateStream(s, {{"env", "test"}});
  Json body = OneAction("aws:fis:inject-api-internal-error");
  body["targets"]["streams"] = {
      {"resourceType", "aws:kinesis:stream"}, {"resourceTags", {{"env", "test"}}}, {"selectionMode", "COUNT(3)"}};
  EXPECT_EQ(Start(body)["targets"]["streams"]["resources"].size(), 3u);
  body["targets"]["streams"]["selectionMode"] = "PERCENT(50)";
  EXPECT_EQ(Start(body)["targets"]["streams"]["resources"].size(), 2u);
  body["targets"]["streams"]["selectionMode"] = "COUNT(9)";
  EXPECT_EQ(Start(body)["targets"]["streams"]["resources"].size(), 4u);
}

TEST_F(ExperimentsTest, TargetsThatResolveToNothingFailTheStartUnlessSkipped) {
  Json body = OneAction("aws:fis:inject-api-internal-error");  // "orders" does not exist
  auto r = experiments_->Start(body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "targets.streams resolved to no resources (no existing stream has these ARNs); FIS fails such an "
            "experiment unless experimentOptions.emptyTargetResolutionMode is skip");
  EXPECT_EQ(engine_->ListRules().size(), 0u);
  EXPECT_EQ(experiments_->List().size(), 0u);
  body["experimentOptions"] = {{"emptyTargetResolutionMode", "skip"}};
  Json view = Start(body);
  EXPECT_EQ(view["actions"]["a"]["state"]["status"], "skipped");
  EXPECT_EQ(engine_->ListRules().size(), 0u);
}

TEST_F(ExperimentsTest, RoleTargetsMatchEveryCallOfTheRolesAccount) {
  CreateStream("orders");
  Json body = OneAction("aws:fis:inject-api-unavailable-error");
  body["targets"] = {{"roles",
                      {{"resourceType", "aws:iam:role"},
                       {"resourceArns", {"arn:aws:iam::000000000000:role/app"}},
                       {"selectionMode", "ALL"}}}};
  body["actions"]["a"]["targets"] = {{"Roles", "roles"}};
  Start(body);
  EXPECT_EQ(ErrorOf(Call("PutRecord", "orders")), "ServiceUnavailable/503");
  EXPECT_EQ(ErrorOf(Call("ListStreams", "")), "ServiceUnavailable/503");
  FaultContext other = Call("PutRecord");
  other.account = "111111111111";
  EXPECT_EQ(ErrorOf(other), "");
}

TEST_F(ExperimentsTest, ListShowsEveryExperimentAndClearForgetsThemAndTheirRules) {
  CreateStream("orders");
  Start(OneAction("aws:fis:inject-api-internal-error"));
  Start(OneAction("aws:fis:inject-api-throttle-error"));
  Json list = experiments_->List();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_NE(list[0]["id"], list[1]["id"]);
  EXPECT_EQ(engine_->ListRules().size(), 2u);
  experiments_->StopAll();
  EXPECT_EQ(experiments_->List()[1]["state"]["status"], "stopped");
  EXPECT_EQ(engine_->ListRules().size(), 0u);
  experiments_->Clear();
  EXPECT_EQ(experiments_->List().size(), 0u);
}

}  // namespace
}  // namespace kemu
