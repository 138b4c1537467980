#include "options_parser.h"

#include <gtest/gtest.h>

#include <map>

namespace kemu {
namespace {

std::map<std::string, std::string>* g_env = nullptr;
const char* FakeEnv(const char* name) {
  auto it = g_env->find(name);
  return it == g_env->end() ? nullptr : it->second.c_str();
}

Result<ParsedCommandLine> Parse(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
  g_env = &env;
  return ParseCommandLine(args, &FakeEnv);
}

TEST(OptionsParserTest, Defaults) {
  auto p = Parse({});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->options.host, "127.0.0.1");
  EXPECT_EQ(p->options.port, 4567);
  EXPECT_EQ(p->options.region, "us-east-1");
  EXPECT_EQ(p->options.account_id, "000000000000");
  EXPECT_TRUE(p->options.data_file.empty());
}

TEST(OptionsParserTest, FlagsWinOverEnvironment) {
  auto p = Parse({"--port", "0", "--region=eu-west-1"},
                 {{"KINESIS_EMULATOR_PORT", "9999"}, {"KINESIS_EMULATOR_ACCOUNT_ID", "123456789012"}});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->options.port, 0);
  EXPECT_EQ(p->options.region, "eu-west-1");
  EXPECT_EQ(p->options.account_id, "123456789012");
}

TEST(OptionsParserTest, CreateStreams) {
  auto p = Parse({"--create-streams", "orders:2,events,clicks:10"});
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->options.create_streams.size(), 3u);
  EXPECT_EQ(p->options.create_streams[0].name, "orders");
  EXPECT_EQ(p->options.create_streams[0].shard_count, 2);
  EXPECT_EQ(p->options.create_streams[1].shard_count, 1);
  EXPECT_EQ(p->options.create_streams[2].shard_count, 10);
}

TEST(OptionsParserTest, BadValuesAreErrorsNamingTheFlag) {
  EXPECT_NE(Parse({"--port", "70000"}).status().message().find("--port"), std::string::npos);
  EXPECT_NE(Parse({"--account-id", "12"}).status().message().find("--account-id"), std::string::npos);
  EXPECT_NE(Parse({"--create-streams", "bad name"}).status().message().find("--create-streams"), std::string::npos);
  EXPECT_NE(Parse({"--log-level", "loud"}).status().message().find("--log-level"), std::string::npos);
  EXPECT_NE(Parse({"--bogus"}).status().message().find("unknown option"), std::string::npos);
  EXPECT_NE(Parse({"--port"}).status().message().find("needs a value"), std::string::npos);
  EXPECT_NE(Parse({}, {{"KINESIS_EMULATOR_PORT", "x"}}).status().message().find("KINESIS_EMULATOR_PORT"),
            std::string::npos);
}

TEST(OptionsParserTest, NoAdminSwitchAndVariable) {
  auto defaults = Parse({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->options.disable_admin);

  auto flag = Parse({"--no-admin"});
  ASSERT_TRUE(flag.ok());
  EXPECT_TRUE(flag->options.disable_admin);

  auto env = Parse({}, {{"KINESIS_EMULATOR_NO_ADMIN", "1"}});
  ASSERT_TRUE(env.ok());
  EXPECT_TRUE(env->options.disable_admin);

  auto off = Parse({"--no-admin=false"}, {{"KINESIS_EMULATOR_NO_ADMIN", "true"}});
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->options.disable_admin);

  EXPECT_NE(Parse({}, {{"KINESIS_EMULATOR_NO_ADMIN", "maybe"}}).status().message().find("--no-admin"),
            std::string::npos);
}

TEST(OptionsParserTest, IoTimeout) {
  auto defaults = Parse({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->options.io_timeout_seconds, 30);
  auto p = Parse({"--io-timeout", "2"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->options.io_timeout_seconds, 2);
  EXPECT_NE(Parse({"--io-timeout", "0"}).status().message().find("--io-timeout"), std::string::npos);
}

}  // namespace
}  // namespace kemu
