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

TEST(OptionsParserTest, TransitionDelays) {
  auto p = Parse({"--create-stream-ms", "250", "--delete-stream-ms=300", "--update-stream-ms", "400"},
                 {{"KINESIS_EMULATOR_REGISTER_CONSUMER_MS", "500"}, {"KINESIS_EMULATOR_UPDATE_STREAM_MS", "1"}});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->options.create_stream_ms, 250);
  EXPECT_EQ(p->options.delete_stream_ms, 300);
  EXPECT_EQ(p->options.update_stream_ms, 400);
  EXPECT_EQ(p->options.register_consumer_ms, 500);
  auto defaults = Parse({});
  EXPECT_EQ(defaults->options.create_stream_ms, 0);
  EXPECT_EQ(defaults->options.register_consumer_ms, 0);
  EXPECT_NE(Parse({"--update-stream-ms", "-1"}).status().message().find("--update-stream-ms"), std::string::npos);
  EXPECT_NE(Parse({}, {{"KINESIS_EMULATOR_CREATE_STREAM_MS", "soon"}})
                .status()
                .message()
                .find("KINESIS_EMULATOR_CREATE_STREAM_MS"),
            std::string::npos);
}

TEST(OptionsParserTest, ShardLimit) {
  EXPECT_EQ(Parse({})->options.shard_limit, 0);
  EXPECT_EQ(Parse({"--shard-limit", "20"})->options.shard_limit, 20);
  EXPECT_EQ(Parse({}, {{"KINESIS_EMULATOR_SHARD_LIMIT", "7"}})->options.shard_limit, 7);
  EXPECT_NE(Parse({"--shard-limit", "0"}).status().message().find("--shard-limit"), std::string::npos);
}

TEST(OptionsParserTest, KmsKeys) {
  EXPECT_TRUE(Parse({})->options.kms_keys.empty());
  auto p = Parse({"--kms-keys", "alias/mine,11111111-2222-3333-4444-555555555555,"});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->options.kms_keys, (std::vector<std::string>{"alias/mine", "11111111-2222-3333-4444-555555555555"}));
  EXPECT_EQ(Parse({}, {{"KINESIS_EMULATOR_KMS_KEYS", "alias/a"}})->options.kms_keys,
            (std::vector<std::string>{"alias/a"}));
  EXPECT_NE(Parse({"--kms-keys", "alias/a b"}).status().message().find("--kms-keys"), std::string::npos);
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

namespace kemu {
namespace {

TEST(OptionsParserTest, SwitchesAndFormats) {
  auto p = Parse({"--enforce-limits", "--log-format", "json", "--admin-token", "t0k"});
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_TRUE(p->options.enforce_limits);
  EXPECT_TRUE(p->options.json_logs);
  EXPECT_EQ(p->options.admin_token, "t0k");
  auto env = Parse({}, {{"KINESIS_EMULATOR_ENFORCE_LIMITS", "false"}, {"KINESIS_EMULATOR_LOG_FORMAT", "text"}});
  ASSERT_TRUE(env.ok());
  EXPECT_FALSE(env->options.enforce_limits);
  EXPECT_NE(Parse({"--log-format", "xml"}).status().message().find("--log-format"), std::string::npos);
  EXPECT_NE(Parse({}, {{"KINESIS_EMULATOR_ENFORCE_LIMITS", "maybe"}}).status().message().find("ENFORCE_LIMITS"),
            std::string::npos);
}

}  // namespace
}  // namespace kemu

namespace kemu {
namespace {

TEST(OptionsParserTest, StrictAuthAndCredentials) {
  auto p = Parse({"--auth", "strict", "--credentials", "AKIA1:s1,123456789012:s2"});
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_TRUE(p->options.auth_strict);
  EXPECT_EQ(p->options.credentials.at("AKIA1"), "s1");
  EXPECT_EQ(p->options.credentials.at("123456789012"), "s2");
  EXPECT_FALSE(Parse({})->options.auth_strict);
  EXPECT_NE(Parse({"--auth", "paranoid"}).status().message().find("--auth"), std::string::npos);
  EXPECT_NE(Parse({"--credentials", "nocolon"}).status().message().find("--credentials"), std::string::npos);
}

TEST(OptionsParserTest, TlsFlags) {
  auto off = Parse({});
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->options.tls);
  auto generated = Parse({"--tls"});
  ASSERT_TRUE(generated.ok());
  EXPECT_TRUE(generated->options.tls);
  EXPECT_TRUE(generated->options.tls_cert_file.empty());
  auto files = Parse({"--tls-cert", "c.pem", "--tls-key=k.pem"});
  ASSERT_TRUE(files.ok());
  EXPECT_TRUE(files->options.tls);  // a certificate implies TLS
  EXPECT_EQ(files->options.tls_cert_file, "c.pem");
  EXPECT_EQ(files->options.tls_key_file, "k.pem");
  auto env = Parse({}, {{"KINESIS_EMULATOR_TLS", "true"}});
  ASSERT_TRUE(env.ok());
  EXPECT_TRUE(env->options.tls);
  auto env_files = Parse({}, {{"KINESIS_EMULATOR_TLS_CERT", "c.pem"}, {"KINESIS_EMULATOR_TLS_KEY", "k.pem"}});
  ASSERT_TRUE(env_files.ok());
  EXPECT_TRUE(env_files->options.tls);
  EXPECT_EQ(env_files->options.tls_key_file, "k.pem");
}

TEST(OptionsParserTest, ReadyFile) {
  EXPECT_TRUE(Parse({})->options.ready_file.empty());
  EXPECT_EQ(Parse({"--ready-file", "/tmp/r"})->options.ready_file, "/tmp/r");
  EXPECT_EQ(Parse({}, {{"KINESIS_EMULATOR_READY_FILE", "/tmp/e"}})->options.ready_file, "/tmp/e");
  // An empty flag turns off the file an image's variable asks for.
  EXPECT_TRUE(Parse({"--ready-file="}, {{"KINESIS_EMULATOR_READY_FILE", "/tmp/e"}})->options.ready_file.empty());
}

TEST(OptionsParserTest, TlsCertificateAndKeyComeTogether) {
  auto no_key = Parse({"--tls-cert", "c.pem"});
  ASSERT_FALSE(no_key.ok());
  EXPECT_EQ(no_key.status().message(), "--tls-cert needs --tls-key");
  auto no_cert = Parse({"--tls", "--tls-key", "k.pem"});
  ASSERT_FALSE(no_cert.ok());
  EXPECT_EQ(no_cert.status().message(), "--tls-key needs --tls-cert");
  EXPECT_FALSE(Parse({"--tls=maybe"}).ok());
}

}  // namespace
}  // namespace kemu

namespace kemu {
namespace {

// The fields a flag can set, in one string, to compare two parses.
std::string Describe(const ServerOptions& o) {
  std::string s = o.host + "|" + std::to_string(o.port) + "|" + o.data_file + "|" + o.region + "|" + o.account_id +
                  "|" + std::to_string(o.create_streams.size()) + "|" + std::to_string(static_cast<int>(o.log_level)) +
                  "|" + std::to_string(o.json_logs) + "|" + o.ready_file + "|" + std::to_string(o.create_stream_ms) +
                  "|" + std::to_string(o.delete_stream_ms) + "|" + std::to_string(o.update_stream_ms) + "|" +
                  std::to_string(o.register_consumer_ms) + "|" + std::to_string(o.shard_limit) + "|" +
                  std::to_string(o.kms_keys.size()) + "|" + std::to_string(o.io_timeout_seconds) + "|" +
                  std::to_string(o.tls) + "|" + o.tls_cert_file + "|" + o.tls_key_file + "|" +
                  std::to_string(o.enforce_limits) + "|" + std::to_string(o.auth_strict) + "|" +
                  std::to_string(o.credentials.size()) + "|" + o.admin_token + "|" + std::to_string(o.disable_admin);
  return s;
}

TEST(OptionsParserTest, TheMarkdownHasEveryFlagOfTheTable) {
  const std::string md = OptionsMarkdown();
  const auto docs = FlagDocs();
  ASSERT_GE(docs.size(), 20u);  // the table is not lost
  for (const auto& f : docs) {
    SCOPED_TRACE(f.flag);
    // Its row: the flag with its value, its variable, and its description.
    const std::string row = "| `" + f.flag + (f.is_switch ? "" : " " + f.value_name) + "` | `" + f.env + "` | ";
    EXPECT_NE(md.find(row), std::string::npos);
    EXPECT_NE(md.find(f.help), std::string::npos);
    EXPECT_NE(UsageText().find("[" + f.env + "]"), std::string::npos);
    EXPECT_TRUE(f.default_value.empty() != f.default_note.empty()) << "a default, as a value or in words";
    // The flag and its variable really are parsed.
    if (f.is_switch) {
      EXPECT_TRUE(Parse({f.flag}).ok());
    } else {
      EXPECT_NE(Parse({f.flag}).status().message().find("needs a value"), std::string::npos);
    }
  }
  // One row per flag, nothing else in the table.
  size_t rows = 0;
  for (size_t at = md.find("\n| `--"); at != std::string::npos; at = md.find("\n| `--", at + 1)) ++rows;
  EXPECT_EQ(rows, docs.size());
}

TEST(OptionsParserTest, DocumentedDefaultsAreTheDefaults) {
  const std::string defaults = Describe(Parse({})->options);
  int checked = 0;
  for (const auto& f : FlagDocs()) {
    if (f.default_value.empty()) continue;
    SCOPED_TRACE(f.flag);
    auto p = Parse({f.flag + "=" + f.default_value});
    ASSERT_TRUE(p.ok()) << p.status().message();
    EXPECT_EQ(Describe(p->options), defaults);
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

TEST(OptionsParserTest, HelpMarkdownFlag) {
  auto p = Parse({"--help-markdown"});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->show_help_markdown);
  EXPECT_FALSE(p->show_help);
  EXPECT_NE(UsageText().find("--help-markdown"), std::string::npos);
}

}  // namespace
}  // namespace kemu
