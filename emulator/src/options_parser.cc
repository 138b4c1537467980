#include "options_parser.h"

#include <re2/re2.h>

#include <charconv>
#include <functional>

namespace kemu {
namespace {

// One row of the flag table: the parser, --help and --help-markdown (docs/options.md) all read it.
struct FlagSpec {
  const char* flag;
  const char* env;
  const char* value_name = "VALUE";  // what the flag takes, as --help shows it
  // The default, written as a value the flag accepts (the unit tests check it parses to ServerOptions' own default),
  // or, when no single value says it, `default_note` in words; nullptr: none.
  const char* default_value = nullptr;
  const char* default_note = nullptr;
  const char* help = "";
  std::function<Status(ServerOptions&, const std::string&)> apply;
  bool is_switch = false;  // takes no value on the command line ("--flag" means true)
};

Status ParseBool(const std::string& flag, const std::string& v, bool* out) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") {
    *out = true;
  } else if (v == "0" || v == "false" || v == "no" || v == "off") {
    *out = false;
  } else {
    return Status(ErrorCode::kInvalidArgument, flag + " expects true or false, got '" + v + "'");
  }
  return Status::Ok();
}

Result<long long> ParseInteger(const std::string& flag, const std::string& value, long long lo, long long hi) {
  long long v = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || ptr != value.data() + value.size() || v < lo || v > hi) {
    return Status(ErrorCode::kInvalidArgument, flag + " expects an integer in [" + std::to_string(lo) + ", " +
                                                   std::to_string(hi) + "], got '" + value + "'");
  }
  return v;
}

Status ParseDelay(const std::string& flag, const std::string& value, int64_t* out) {
  KEMU_ASSIGN_OR_RETURN(long long ms, ParseInteger(flag, value, 0, 86400000));
  *out = ms;
  return Status::Ok();
}

const std::vector<FlagSpec>& Flags() {
  static const std::vector<FlagSpec> flags = {
      {.flag = "--host",
       .env = "KINESIS_EMULATOR_HOST",
       .value_name = "ADDRESS",
       .default_value = "127.0.0.1",
       .help = "address to listen on; 0.0.0.0 exposes the Kinesis and admin endpoints to the network",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             o.host = v;
             return Status::Ok();
           }},
      {.flag = "--port",
       .env = "KINESIS_EMULATOR_PORT",
       .value_name = "PORT",
       .default_value = "4567",
       .help = "port to listen on; 0 picks a free one (printed in the ready line)",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             KEMU_ASSIGN_OR_RETURN(long long p, ParseInteger("--port", v, 0, 65535));
             o.port = static_cast<int>(p);
             return Status::Ok();
           }},
      {.flag = "--data",
       .env = "KINESIS_EMULATOR_DATA",
       .value_name = "FILE",
       .default_note = "in memory",
       .help = "SQLite file that keeps streams, records and settings across restarts",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             o.data_file = v;
             return Status::Ok();
           }},
      {.flag = "--region",
       .env = "KINESIS_EMULATOR_REGION",
       .value_name = "REGION",
       .default_value = "us-east-1",
       .help = "region of --create-streams streams and of requests without a credential scope",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             if (v.empty()) return Status(ErrorCode::kInvalidArgument, "--region must not be empty");
             o.region = v;
             return Status::Ok();
           }},
      {.flag = "--account-id",
       .env = "KINESIS_EMULATOR_ACCOUNT_ID",
       .value_name = "ACCOUNT",
       .default_value = "000000000000",
       .help = "account (12 digits) for access key ids that are not 12 digits themselves",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             if (!RE2::FullMatch(v, "[0-9]{12}")) {
               return Status(ErrorCode::kInvalidArgument, "--account-id expects 12 digits, got '" + v + "'");
             }
             o.account_id = v;
             return Status::Ok();
           }},
      {.flag = "--create-streams",
       .env = "KINESIS_EMULATOR_CREATE_STREAMS",
       .value_name = "NAME[:SHARDS],...",
       .default_note = "none",
       .help = "streams created ACTIVE before the port opens (1 shard unless SHARDS says; a stream already in --data "
               "is kept as it is)",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             KEMU_ASSIGN_OR_RETURN(o.create_streams, ParseStreamSeeds(v));
             return Status::Ok();
           }},
      {.flag = "--create-stream-ms",
       .env = "KINESIS_EMULATOR_CREATE_STREAM_MS",
       .value_name = "MS",
       .default_value = "0",
       .help = "how long a new stream stays CREATING, in Clock milliseconds (0: ACTIVE at once)",
       .apply = [](ServerOptions& o,
                   const std::string& v) { return ParseDelay("--create-stream-ms", v, &o.create_stream_ms); }},
      {.flag = "--delete-stream-ms",
       .env = "KINESIS_EMULATOR_DELETE_STREAM_MS",
       .value_name = "MS",
       .default_value = "0",
       .help = "how long a deleted stream stays DELETING before it is gone",
       .apply = [](ServerOptions& o,
                   const std::string& v) { return ParseDelay("--delete-stream-ms", v, &o.delete_stream_ms); }},
      {.flag = "--update-stream-ms",
       .env = "KINESIS_EMULATOR_UPDATE_STREAM_MS",
       .value_name = "MS",
       .default_value = "0",
       .help = "how long a stream stays UPDATING after a reshard, encryption, mode, record-size or warm-throughput "
               "change; as on AWS, a SplitShard, MergeShards or UpdateShardCount takes effect when the stream is "
               "ACTIVE again (until then the parents stay open and take writes)",
       .apply = [](ServerOptions& o,
                   const std::string& v) { return ParseDelay("--update-stream-ms", v, &o.update_stream_ms); }},
      {.flag = "--register-consumer-ms",
       .env = "KINESIS_EMULATOR_REGISTER_CONSUMER_MS",
       .value_name = "MS",
       .default_value = "0",
       .help = "how long a consumer stays CREATING after RegisterStreamConsumer (and DELETING after "
               "DeregisterStreamConsumer)",
       .apply = [](ServerOptions& o,
                   const std::string& v) { return ParseDelay("--register-consumer-ms", v, &o.register_consumer_ms); }},
      {.flag = "--shard-limit",
       .env = "KINESIS_EMULATOR_SHARD_LIMIT",
       .value_name = "N",
       .default_note = "as AWS: 500 in us-east-1, us-west-2 and eu-west-1, 200 elsewhere",
       .help = "open shards per account and region",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             KEMU_ASSIGN_OR_RETURN(long long n, ParseInteger("--shard-limit", v, 1, 1000000));
             o.shard_limit = static_cast<int>(n);
             return Status::Ok();
           }},
      {.flag = "--kms-keys",
       .env = "KINESIS_EMULATOR_KMS_KEYS",
       .value_name = "KEY,...",
       .default_note = "none",
       .help = "KMS keys the emulated KMS knows besides alias/aws/kinesis: key ids, key ARNs, alias/NAME or alias "
               "ARNs",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             o.kms_keys.clear();
             size_t start = 0;
             while (start <= v.size()) {
               size_t comma = v.find(',', start);
               std::string item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
               start = comma == std::string::npos ? v.size() + 1 : comma + 1;
               if (item.empty()) continue;
               if (item.find_first_of(" \t") != std::string::npos) {
                 return Status(ErrorCode::kInvalidArgument, "--kms-keys: '" + item + "' contains white space");
               }
               o.kms_keys.push_back(item);
             }
             return Status::Ok();
           }},
      {.flag = "--log-level",
       .env = "KINESIS_EMULATOR_LOG_LEVEL",
       .value_name = "LEVEL",
       .default_value = "info",
       .help = "error, warn, info or debug (debug logs every call with its status and time)",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             if (v == "error")
               o.log_level = LogLevel::kError;
             else if (v == "warn")
               o.log_level = LogLevel::kWarn;
             else if (v == "info")
               o.log_level = LogLevel::kInfo;
             else if (v == "debug")
               o.log_level = LogLevel::kDebug;
             else
               return Status(ErrorCode::kInvalidArgument,
                             "--log-level expects error, warn, info or debug, got '" + v + "'");
             return Status::Ok();
           }},
      {.flag = "--log-format",
       .env = "KINESIS_EMULATOR_LOG_FORMAT",
       .value_name = "FORMAT",
       .default_value = "text",
       .help = "text or json (one JSON object per line, the startup lines on stdout included)",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             if (v != "text" && v != "json") {
               return Status(ErrorCode::kInvalidArgument, "--log-format expects text or json, got '" + v + "'");
             }
             o.json_logs = v == "json";
             return Status::Ok();
           }},
      {.flag = "--ready-file",
       .env = "KINESIS_EMULATOR_READY_FILE",
       .value_name = "FILE",
       .default_note = "none",
       .help = "once the port is open, write the URL to reach the emulator there (http://127.0.0.1:PORT for "
               "0.0.0.0; removed at exit): the container's health check reads it",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             o.ready_file = v;
             return Status::Ok();
           }},
      {.flag = "--auth",
       .env = "KINESIS_EMULATOR_AUTH",
       .value_name = "MODE",
       .default_value = "lenient",
       .help = "lenient checks SigV4 headers for presence and shape; strict verifies signatures (header and "
               "presigned forms, 5 minutes of skew on the wall clock, session tokens accepted) against "
               "--credentials",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             if (v != "lenient" && v != "strict") {
               return Status(ErrorCode::kInvalidArgument, "--auth expects lenient or strict, got '" + v + "'");
             }
             o.auth_strict = v == "strict";
             return Status::Ok();
           }},
      {.flag = "--credentials",
       .env = "KINESIS_EMULATOR_CREDENTIALS",
       .value_name = "AKID:SECRET,...",
       .default_note = "none",
       .help = "access key ids and secrets known to --auth strict",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             o.credentials.clear();
             size_t start = 0;
             while (start <= v.size()) {
               size_t comma = v.find(',', start);
               std::string pair = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
               start = comma == std::string::npos ? v.size() + 1 : comma + 1;
               if (pair.empty()) continue;
               size_t colon = pair.find(':');
               if (colon == std::string::npos || colon == 0 || colon + 1 == pair.size()) {
                 return Status(ErrorCode::kInvalidArgument,
                               "--credentials expects AKID:SECRET pairs, got '" + pair + "'");
               }
               o.credentials[pair.substr(0, colon)] = pair.substr(colon + 1);
             }
             return Status::Ok();
           }},
      {.flag = "--enforce-limits",
       .env = "KINESIS_EMULATOR_ENFORCE_LIMITS",
       .default_value = "off",
       .help = "AWS's per-shard throughput limits on the emulator clock: writes 1 MiB/s and 1000 records/s, reads 5 "
               "calls/s and 2 MiB/s",
       .apply = [](ServerOptions& o,
                   const std::string& v) { return ParseBool("--enforce-limits", v, &o.enforce_limits); },
       .is_switch = true},
      {.flag = "--admin-token",
       .env = "KINESIS_EMULATOR_ADMIN_TOKEN",
       .value_name = "TOKEN",
       .default_note = "none",
       .help = "/_emulator/ requests (health excepted) need 'Authorization: Bearer TOKEN'",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             o.admin_token = v;
             return Status::Ok();
           }},
      {.flag = "--no-admin",
       .env = "KINESIS_EMULATOR_NO_ADMIN",
       .default_value = "off",
       .help = "turns /_emulator/ off: health still answers, every other admin request gets 404 AdminDisabled",
       .apply = [](ServerOptions& o, const std::string& v) { return ParseBool("--no-admin", v, &o.disable_admin); },
       .is_switch = true},
      {.flag = "--tls",
       .env = "KINESIS_EMULATOR_TLS",
       .default_value = "off",
       .help = "serve HTTPS (HTTP/1.1 and h2 by ALPN) on the port; without --tls-cert, with a self-signed "
               "certificate made at start (its path is printed)",
       .apply = [](ServerOptions& o, const std::string& v) { return ParseBool("--tls", v, &o.tls); },
       .is_switch = true},
      {.flag = "--tls-cert",
       .env = "KINESIS_EMULATOR_TLS_CERT",
       .value_name = "FILE",
       .default_note = "none",
       .help = "PEM certificate (chain) to serve HTTPS with; implies --tls, needs --tls-key",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             o.tls_cert_file = v;
             return Status::Ok();
           }},
      {.flag = "--tls-key",
       .env = "KINESIS_EMULATOR_TLS_KEY",
       .value_name = "FILE",
       .default_note = "none",
       .help = "PEM private key of --tls-cert (must match it, or the emulator exits with an error)",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             o.tls_key_file = v;
             return Status::Ok();
           }},
      {.flag = "--io-timeout",
       .env = "KINESIS_EMULATOR_IO_TIMEOUT",
       .value_name = "SECONDS",
       .default_value = "30",
       .help = "seconds a client may stall in the middle of a request (headers or body), or take over its TLS "
               "handshake, before it is disconnected (with a 400 when a request was under way)",
       .apply =
           [](ServerOptions& o, const std::string& v) {
             KEMU_ASSIGN_OR_RETURN(long long t, ParseInteger("--io-timeout", v, 1, 3600));
             o.io_timeout_seconds = static_cast<int>(t);
             return Status::Ok();
           }},
  };
  return flags;
}

}  // namespace

Result<std::vector<StreamSeed>> ParseStreamSeeds(const std::string& spec) {
  std::vector<StreamSeed> seeds;
  static const re2::RE2 kItem("([a-zA-Z0-9_.-]{1,128})(?::([0-9]{1,5}))?");
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    std::string item = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? spec.size() + 1 : comma + 1;
    if (item.empty()) continue;
    std::string name, shards;
    if (!RE2::FullMatch(item, kItem, &name, &shards)) {
      return Status(ErrorCode::kInvalidArgument,
                    "--create-streams: '" + item + "' is not name[:shards] (name: [a-zA-Z0-9_.-]{1,128})");
    }
    StreamSeed seed{name, 1};
    if (!shards.empty()) {
      seed.shard_count = std::stoi(shards);
      if (seed.shard_count < 1)
        return Status(ErrorCode::kInvalidArgument, "--create-streams: shard count must be >= 1");
    }
    seeds.push_back(seed);
  }
  return seeds;
}

Result<ParsedCommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                           const char* (*environ_lookup)(const char*)) {
  ParsedCommandLine parsed;
  // Environment first, flags override.
  for (const auto& f : Flags()) {
    if (const char* v = environ_lookup(f.env); v != nullptr && *v != '\0') {
      Status s = f.apply(parsed.options, v);
      if (!s.ok()) return Status(s.code(), std::string(f.env) + ": " + s.message());
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      parsed.show_help = true;
      continue;
    }
    if (arg == "--help-markdown") {
      parsed.show_help_markdown = true;
      continue;
    }
    if (arg == "--version") {
      parsed.show_version = true;
      continue;
    }
    std::string name = arg, value;
    bool has_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    const FlagSpec* spec = nullptr;
    for (const auto& f : Flags()) {
      if (name == f.flag) spec = &f;
    }
    if (spec == nullptr) return Status(ErrorCode::kInvalidArgument, "unknown option '" + arg + "' (see --help)");
    if (!has_value && spec->is_switch) {
      value = "true";
    } else if (!has_value) {
      if (i + 1 >= args.size()) return Status(ErrorCode::kInvalidArgument, name + " needs a value");
      value = args[++i];
    }
    KEMU_RETURN_IF_ERROR(spec->apply(parsed.options, value));
  }
  ServerOptions& o = parsed.options;
  if (o.tls_cert_file.empty() != o.tls_key_file.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  o.tls_cert_file.empty() ? "--tls-key needs --tls-cert" : "--tls-cert needs --tls-key");
  }
  if (!o.tls_cert_file.empty()) o.tls = true;
  return parsed;
}

std::vector<FlagDoc> FlagDocs() {
  std::vector<FlagDoc> docs;
  for (const auto& f : Flags()) {
    docs.push_back({f.flag, f.env, f.is_switch ? "" : f.value_name, f.default_value ? f.default_value : "",
                    f.default_note ? f.default_note : "", f.help, f.is_switch});
  }
  return docs;
}

std::string UsageText() {
  std::string text =
      "Usage: kinesis-emulator [options]\n\n"
      "An emulator of the Amazon Kinesis Data Streams API.\n\nOptions (each also read from its environment "
      "variable; a flag wins):\n";
  for (const auto& f : FlagDocs()) {
    text += "  " + f.flag + (f.is_switch ? "" : " " + f.value_name) + "\n      " + f.help;
    if (!f.default_value.empty()) text += " (default " + f.default_value + ")";
    if (!f.default_note.empty() && f.default_note != "none") text += " (default " + f.default_note + ")";
    text += "  [" + f.env + "]\n";
  }
  text +=
      "  --help           show this text\n"
      "  --help-markdown  print the options as a Markdown table (docs/options.md)\n"
      "  --version        print the version\n";
  return text;
}

namespace {

// A table cell: `|` would end the cell, and a line break the row.
std::string MarkdownCell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string OptionsMarkdown() {
  std::string md =
      "# Options\n\n"
      "<!-- Generated from the flag table in emulator/src/options_parser.cc by\n"
      "     `build/kinesis-emulator --help-markdown > docs/options.md`: edit the table, not this file.\n"
      "     The ctest entry docs.options_current fails when the two differ. -->\n\n"
      "Generated by `kinesis-emulator --help-markdown` from the binary's own flag table, so it says what the binary "
      "accepts.\n\n"
      "Every flag has an environment variable; a flag wins over its variable. A flag takes its value as the next "
      "argument or after `=` (`--port 0`, `--port=0`). A switch (no value shown) means `true` alone and also takes "
      "`--flag=false`; its variable takes `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`. An empty variable is "
      "ignored.\n\n"
      "| flag | variable | default | meaning |\n"
      "|---|---|---|---|\n";
  for (const auto& f : FlagDocs()) {
    std::string flag = "`" + f.flag + (f.is_switch ? "" : " " + f.value_name) + "`";
    std::string def = !f.default_value.empty() ? "`" + f.default_value + "`" : f.default_note;
    md +=
        "| " + MarkdownCell(flag) + " | `" + f.env + "` | " + MarkdownCell(def) + " | " + MarkdownCell(f.help) + " |\n";
  }
  md +=
      "\n`--help` prints the same table as text, `--help-markdown` this page, `--version` the version.\n"
      "What the binary prints when it is ready and how it stops: [architecture.md](architecture.md#the-binary).\n";
  return md;
}

}  // namespace kemu
