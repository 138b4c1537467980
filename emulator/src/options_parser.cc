#include "options_parser.h"

#include <re2/re2.h>

#include <charconv>
#include <functional>

namespace kemu {
namespace {

struct FlagSpec {
  const char* flag;
  const char* env;
  const char* help;
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
      {"--host", "KINESIS_EMULATOR_HOST", "address to listen on (default 127.0.0.1)",
       [](ServerOptions& o, const std::string& v) {
         o.host = v;
         return Status::Ok();
       }},
      {"--port", "KINESIS_EMULATOR_PORT", "port to listen on; 0 picks a free one (default 4567)",
       [](ServerOptions& o, const std::string& v) {
         KEMU_ASSIGN_OR_RETURN(long long p, ParseInteger("--port", v, 0, 65535));
         o.port = static_cast<int>(p);
         return Status::Ok();
       }},
      {"--data", "KINESIS_EMULATOR_DATA", "SQLite file to keep state in (default: in memory)",
       [](ServerOptions& o, const std::string& v) {
         o.data_file = v;
         return Status::Ok();
       }},
      {"--region", "KINESIS_EMULATOR_REGION", "region for unsigned defaults and seeded streams (default us-east-1)",
       [](ServerOptions& o, const std::string& v) {
         if (v.empty()) return Status(ErrorCode::kInvalidArgument, "--region must not be empty");
         o.region = v;
         return Status::Ok();
       }},
      {"--account-id", "KINESIS_EMULATOR_ACCOUNT_ID",
       "account used when the access key id is not 12 digits (default "
       "000000000000)",
       [](ServerOptions& o, const std::string& v) {
         if (!RE2::FullMatch(v, "[0-9]{12}")) {
           return Status(ErrorCode::kInvalidArgument, "--account-id expects 12 digits, got '" + v + "'");
         }
         o.account_id = v;
         return Status::Ok();
       }},
      {"--create-streams", "KINESIS_EMULATOR_CREATE_STREAMS",
       "streams created ACTIVE before the port opens: name[:shards],... "
       "(default 1 shard)",
       [](ServerOptions& o, const std::string& v) {
         KEMU_ASSIGN_OR_RETURN(o.create_streams, ParseStreamSeeds(v));
         return Status::Ok();
       }},
      {"--create-stream-ms", "KINESIS_EMULATOR_CREATE_STREAM_MS", "CREATING -> ACTIVE delay in ms (default 0)",
       [](ServerOptions& o, const std::string& v) { return ParseDelay("--create-stream-ms", v, &o.create_stream_ms); }},
      {"--delete-stream-ms", "KINESIS_EMULATOR_DELETE_STREAM_MS", "DELETING -> gone delay in ms (default 0)",
       [](ServerOptions& o, const std::string& v) { return ParseDelay("--delete-stream-ms", v, &o.delete_stream_ms); }},
      {"--update-stream-ms", "KINESIS_EMULATOR_UPDATE_STREAM_MS", "UPDATING -> ACTIVE delay in ms (default 0)",
       [](ServerOptions& o, const std::string& v) { return ParseDelay("--update-stream-ms", v, &o.update_stream_ms); }},
      {"--register-consumer-ms", "KINESIS_EMULATOR_REGISTER_CONSUMER_MS",
       "consumer CREATING -> ACTIVE and DELETING -> gone delay in ms (default "
       "0)",
       [](ServerOptions& o, const std::string& v) {
         return ParseDelay("--register-consumer-ms", v, &o.register_consumer_ms);
       }},
      {"--shard-limit", "KINESIS_EMULATOR_SHARD_LIMIT",
       "open shards per account and region (default as AWS: 500 in us-east-1, "
       "us-west-2, eu-west-1, else 200)",
       [](ServerOptions& o, const std::string& v) {
         KEMU_ASSIGN_OR_RETURN(long long n, ParseInteger("--shard-limit", v, 1, 1000000));
         o.shard_limit = static_cast<int>(n);
         return Status::Ok();
       }},
      {"--kms-keys", "KINESIS_EMULATOR_KMS_KEYS",
       "comma-separated KMS keys known besides alias/aws/kinesis (key ids, key "
       "ARNs, alias/NAME, alias ARNs)",
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
      {"--log-level", "KINESIS_EMULATOR_LOG_LEVEL", "error, warn, info (default) or debug",
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
      {"--log-format", "KINESIS_EMULATOR_LOG_FORMAT", "text (default) or json (one JSON object per log line)",
       [](ServerOptions& o, const std::string& v) {
         if (v != "text" && v != "json") {
           return Status(ErrorCode::kInvalidArgument, "--log-format expects text or json, got '" + v + "'");
         }
         o.json_logs = v == "json";
         return Status::Ok();
       }},
      {"--ready-file", "KINESIS_EMULATOR_READY_FILE",
       "once the port is open, write the URL to reach the emulator here (removed at exit; for health checks)",
       [](ServerOptions& o, const std::string& v) {
         o.ready_file = v;
         return Status::Ok();
       }},
      {"--auth", "KINESIS_EMULATOR_AUTH",
       "lenient (default: SigV4 headers checked for shape) or strict (signatures verified against --credentials)",
       [](ServerOptions& o, const std::string& v) {
         if (v != "lenient" && v != "strict") {
           return Status(ErrorCode::kInvalidArgument, "--auth expects lenient or strict, got '" + v + "'");
         }
         o.auth_strict = v == "strict";
         return Status::Ok();
       }},
      {"--credentials", "KINESIS_EMULATOR_CREDENTIALS", "AKID:SECRET[,AKID2:SECRET2] accepted by --auth strict",
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
             return Status(ErrorCode::kInvalidArgument, "--credentials expects AKID:SECRET pairs, got '" + pair + "'");
           }
           o.credentials[pair.substr(0, colon)] = pair.substr(colon + 1);
         }
         return Status::Ok();
       }},
      {"--enforce-limits", "KINESIS_EMULATOR_ENFORCE_LIMITS",
       "enforce AWS's per-shard throughput limits (writes 1 MiB/s and 1000 records/s, reads 5/s and 2 MiB/s)",
       [](ServerOptions& o, const std::string& v) { return ParseBool("--enforce-limits", v, &o.enforce_limits); },
       /*is_switch=*/true},
      {"--admin-token", "KINESIS_EMULATOR_ADMIN_TOKEN",
       "require 'Authorization: Bearer TOKEN' on /_emulator/ requests (health excepted)",
       [](ServerOptions& o, const std::string& v) {
         o.admin_token = v;
         return Status::Ok();
       }},
      {"--no-admin", "KINESIS_EMULATOR_NO_ADMIN",
       "turn the /_emulator/ admin endpoint off (health stays); other admin requests get 404",
       [](ServerOptions& o, const std::string& v) { return ParseBool("--no-admin", v, &o.disable_admin); },
       /*is_switch=*/true},
      {"--tls", "KINESIS_EMULATOR_TLS",
       "serve HTTPS (HTTP/1.1 and h2 by ALPN); without --tls-cert, with a self-signed certificate made at start "
       "(its path is printed)",
       [](ServerOptions& o, const std::string& v) { return ParseBool("--tls", v, &o.tls); },
       /*is_switch=*/true},
      {"--tls-cert", "KINESIS_EMULATOR_TLS_CERT", "PEM certificate (chain) to serve HTTPS with; needs --tls-key",
       [](ServerOptions& o, const std::string& v) {
         o.tls_cert_file = v;
         return Status::Ok();
       }},
      {"--tls-key", "KINESIS_EMULATOR_TLS_KEY", "PEM private key of --tls-cert",
       [](ServerOptions& o, const std::string& v) {
         o.tls_key_file = v;
         return Status::Ok();
       }},
      {"--io-timeout", "KINESIS_EMULATOR_IO_TIMEOUT",
       "seconds a client may stall in the middle of a request before it is disconnected (default 30)",
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

std::string UsageText() {
  std::string text =
      "Usage: kinesis-emulator [options]\n\n"
      "An emulator of the Amazon Kinesis Data Streams API.\n\nOptions (each "
      "also read from its environment "
      "variable; a flag wins):\n";
  for (const auto& f : Flags()) {
    text += "  " + std::string(f.flag) + (f.is_switch ? "" : " VALUE") + "\n      " + f.help + "  [" + f.env + "]\n";
  }
  text += "  --help       show this text\n  --version    print the version\n";
  return text;
}

}  // namespace kemu
