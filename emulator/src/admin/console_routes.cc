#include "admin/console_routes.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "admin/console_assets.h"
#include "model/sequence_number.h"
#include "util/base64.h"

namespace kemu {
namespace {

constexpr std::string_view kUi = "/_emulator/ui";
constexpr std::string_view kStreams = "/_emulator/streams";

// Scripts, styles and fetches from this origin only; no inline code, no frames, no forms posted anywhere.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

constexpr int kMaxRecordsPerPage = 1000;
constexpr size_t kMaxPageBytes = 1024 * 1024;  // base64 makes this ~1.4 MB of JSON at most (one record may exceed)
constexpr int kMaxRateSeconds = 3600;

HttpResponse Reply(int status, const Json& body) {
  HttpResponse res;
  res.status = status;
  res.content_type = "application/json";
  // Partition keys and names are valid UTF-8 (the model checks); replace keeps a surprise from becoming a 500.
  res.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

HttpResponse Error(int status, const std::string& error, const std::string& message) {
  return Reply(status, {{"error", error}, {"message", message}});
}

void AddSecurityHeaders(HttpResponse& res) {
  res.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  res.headers.emplace_back("Referrer-Policy", "no-referrer");
  res.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  res.headers.emplace_back("Cross-Origin-Resource-Policy", "same-origin");
}

// Splits "a/b/c" into its non-empty segments; nullopt when one is empty.
std::optional<std::vector<std::string_view>> Segments(std::string_view rest) {
  std::vector<std::string_view> out;
  while (true) {
    const size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    if (seg.empty()) return std::nullopt;
    out.push_back(seg);
    if (slash == std::string_view::npos) return out;
    rest.remove_prefix(slash + 1);
  }
}

// A non-negative decimal integer of at most 19 digits.
std::optional<int64_t> ParseCount(const std::string& text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
  return v;
}

// Records of `shard` within retention: its counters are contiguous from the first record kept to the tip.
int64_t RecordCount(Backend& backend, const StreamInfo& stream, const ShardInfo& shard, int64_t now_ms) {
  auto first = backend.FirstCounterAtOrAfter(stream.id, shard.index, stream.TrimHorizonMs(now_ms));
  if (!first.ok() || !first.value().has_value() || *first.value() >= shard.next_counter) return 0;
  return static_cast<int64_t>(shard.next_counter - *first.value());
}

Json ShardJson(Backend& backend, const StreamInfo& stream, const ShardInfo& shard, int64_t now_ms) {
  const int64_t count = RecordCount(backend, stream, shard, now_ms);
  Json j = {
      {"shard_id", shard.shard_id()},
      {"parent_shard_id", shard.parent ? Json(FormatShardId(*shard.parent)) : Json(nullptr)},
      {"adjacent_parent_shard_id", shard.adjacent_parent ? Json(FormatShardId(*shard.adjacent_parent)) : Json(nullptr)},
      {"starting_hash_key", FormatHashKey(shard.range.start)},
      {"ending_hash_key", FormatHashKey(shard.range.end)},
      {"open", shard.open()},
      {"expired", stream.ShardExpired(shard, now_ms)},
      {"created_ms", shard.created_ms},
      {"closed_ms", shard.closed_ms ? Json(*shard.closed_ms) : Json(nullptr)},
      {"starting_sequence_number", shard.starting_sequence_number()},
      {"ending_sequence_number", shard.open() ? Json(nullptr) : Json(shard.ending_sequence_number())},
      {"record_count", count},
      {"latest_sequence_number", nullptr},
      {"last_arrival_ms", nullptr}};
  if (count > 0) {
    j["latest_sequence_number"] =
        EncodeSequenceNumber({shard.seq_epoch_s, shard.index, shard.next_counter - 1, shard.last_arrival_ms / 1000});
    j["last_arrival_ms"] = shard.last_arrival_ms;
  }
  return j;
}

}  // namespace

ConsoleRoutes::ConsoleRoutes(Backend& backend, const CallJournal& journal, const Clock& clock,
                             const ServerOptions& options)
    : backend_(backend), journal_(journal), clock_(clock), options_(options) {}

bool ConsoleRoutes::IsPublicPath(std::string_view path) {
  return path.substr(0, kUi.size()) == kUi && (path.size() == kUi.size() || path[kUi.size()] == '/');
}

HttpResponse ConsoleRoutes::ServePublic(const HttpRequest& req) const {
  if (req.method != "GET" && req.method != "HEAD") {
    HttpResponse res = Error(405, "MethodNotAllowed", "the console's files are read with GET");
    res.headers.emplace_back("Allow", "GET, HEAD");
    return res;
  }
  std::string_view name = std::string_view(req.path).substr(kUi.size());
  if (!name.empty()) name.remove_prefix(1);  // the '/'
  if (name == "config") {
    HttpResponse res = Reply(200, {{"version", KEMU_VERSION},
                                   {"admin_token_required", !options_.admin_token.empty()},
                                   {"auth", options_.auth_strict ? "strict" : "lenient"},
                                   {"account", options_.account_id},
                                   {"region", options_.region},
                                   {"tls", options_.tls}});
    AddSecurityHeaders(res);
    return res;
  }
  const console::Asset* asset = console::FindAsset(name.empty() ? "index.html" : name);
  if (asset == nullptr) {
    return Error(404, "NotFound", "GET " + req.path + " is not a file of the console");
  }
  HttpResponse res;
  // Revalidated on every load (the ETag changes with the file), so a new binary never runs an old script.
  res.headers.emplace_back("Cache-Control", "no-cache");
  res.headers.emplace_back("ETag", asset->etag);
  AddSecurityHeaders(res);
  if (req.Header("If-None-Match") == asset->etag) {
    res.status = 304;
    return res;
  }
  res.status = 200;
  res.content_type = asset->content_type;
  res.body.assign(asset->data, asset->size);
  return res;
}

std::optional<HttpResponse> ConsoleRoutes::Route(const HttpRequest& req) {
  if (req.method != "GET") return std::nullopt;
  const std::string_view path = req.path;
  if (path == "/_emulator/calls/rate") return CallRate(req);
  if (path == kStreams) return ListStreams(req);
  if (path.substr(0, kStreams.size() + 1) != std::string(kStreams) + "/") return std::nullopt;
  auto segs = Segments(path.substr(kStreams.size() + 1));
  if (!segs) return std::nullopt;
  if (segs->size() != 3 && !(segs->size() == 6 && (*segs)[3] == "shards" && (*segs)[5] == "records")) {
    return std::nullopt;
  }
  const StreamKey key{std::string((*segs)[0]), std::string((*segs)[1]), std::string((*segs)[2])};
  if (segs->size() == 3) return DescribeStream(key);
  return ReadRecords(key, (*segs)[4], req);
}

HttpResponse ConsoleRoutes::ListStreams(const HttpRequest& req) {
  const std::string account = req.Query("account");
  const std::string region = req.Query("region");
  Json list = Json::array();
  backend_.ForEachStream([&](const StreamInfo& s) {
    if ((!account.empty() && s.account != account) || (!region.empty() && s.region != region)) return;
    Json consumers = Json::array();
    for (const auto& c : s.consumers) consumers.push_back({{"name", c.name}, {"status", ToString(c.status)}});
    list.push_back({{"account", s.account},
                    {"region", s.region},
                    {"name", s.name},
                    {"arn", s.arn},
                    {"status", ToString(s.status)},
                    {"mode", ToString(s.mode)},
                    {"created_ms", s.created_ms},
                    {"retention_hours", s.retention_hours},
                    {"encryption_type", ToString(s.encryption_type)},
                    {"key_id", s.key_id.empty() ? Json(nullptr) : Json(s.key_id)},
                    {"open_shards", s.OpenShardCount()},
                    {"shards", s.shards.size()},
                    {"consumers", std::move(consumers)},
                    {"tags", s.tags}});
  });
  return Reply(200, {{"now_ms", clock_.NowMillis()}, {"streams", std::move(list)}});
}

HttpResponse ConsoleRoutes::DescribeStream(const StreamKey& key) {
  auto stream = backend_.GetStream(key);
  if (!stream.ok()) return Error(404, "NotFound", stream.status().message());
  const StreamInfo& s = stream.value();
  const int64_t now = clock_.NowMillis();
  Json shards = Json::array();
  for (const auto& shard : s.shards) shards.push_back(ShardJson(backend_, s, shard, now));
  return Reply(200, {{"now_ms", now},
                     {"account", s.account},
                     {"region", s.region},
                     {"name", s.name},
                     {"arn", s.arn},
                     {"status", ToString(s.status)},
                     {"mode", ToString(s.mode)},
                     {"retention_hours", s.retention_hours},
                     {"encryption_type", ToString(s.encryption_type)},
                     {"open_shards", s.OpenShardCount()},
                     {"shards", std::move(shards)}});
}

HttpResponse ConsoleRoutes::ReadRecords(const StreamKey& key, std::string_view shard_id, const HttpRequest& req) {
  auto stream = backend_.GetStream(key);
  if (!stream.ok()) return Error(404, "NotFound", stream.status().message());
  const StreamInfo& s = stream.value();
  const auto index = ParseShardId(std::string(shard_id));
  const ShardInfo* shard = index ? s.FindShard(*index) : nullptr;
  if (shard == nullptr) return Error(404, "NotFound", "no shard " + std::string(shard_id) + " in stream " + s.name);
  const int64_t now = clock_.NowMillis();

  int limit = 100;
  if (req.query.count("limit") != 0) {
    auto n = ParseCount(req.Query("limit"));
    if (!n || *n < 1 || *n > kMaxRecordsPerPage) {
      return Error(400, "InvalidRequest", "limit must be an integer from 1 to " + std::to_string(kMaxRecordsPerPage));
    }
    limit = static_cast<int>(*n);
  }
  const std::string start = req.Query("start").empty() ? "TRIM_HORIZON" : req.Query("start");
  uint64_t from = 0;
  if (start == "TRIM_HORIZON") {
    from = 0;
  } else if (start == "LATEST") {
    from = shard->next_counter;
  } else if (start == "AT_SEQUENCE_NUMBER" || start == "AFTER_SEQUENCE_NUMBER") {
    auto parts = DecodeSequenceNumber(req.Query("sequence_number"));
    if (!parts) return Error(400, "InvalidRequest", "sequence_number is not a sequence number of this emulator");
    if (parts->shard_index != shard->index) {
      return Error(400, "InvalidRequest", "sequence_number belongs to " + FormatShardId(parts->shard_index));
    }
    from = parts->counter + (start == "AFTER_SEQUENCE_NUMBER" ? 1 : 0);
  } else if (start == "AT_TIMESTAMP") {
    auto ms = ParseCount(req.Query("timestamp_ms"));
    if (!ms) return Error(400, "InvalidRequest", "timestamp_ms must be epoch milliseconds");
    auto first = backend_.FirstCounterAtOrAfter(s.id, shard->index, std::max(*ms, s.TrimHorizonMs(now)));
    if (!first.ok()) return Error(500, "StoreError", first.status().message());
    from = first.value().value_or(shard->next_counter);
  } else if (start == "AT_POSITION") {
    auto pos = ParseCount(req.Query("position"));
    if (!pos) return Error(400, "InvalidRequest", "position must be a next_position from an earlier page");
    from = static_cast<uint64_t>(*pos);
  } else {
    return Error(400, "InvalidRequest",
                 "start must be TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP or "
                 "AT_POSITION");
  }

  ReadLimits limits;
  limits.from_counter = from;
  limits.max_records = limit;
  limits.max_bytes = kMaxPageBytes;
  limits.min_arrival_ms = s.TrimHorizonMs(now);
  auto rows = backend_.Read(s.id, shard->index, limits);
  if (!rows.ok()) return Error(500, "StoreError", rows.status().message());
  Json records = Json::array();
  uint64_t next = from;
  int64_t last_arrival = 0;
  for (const auto& r : rows.value()) {
    records.push_back(
        {{"sequence_number", EncodeSequenceNumber({shard->seq_epoch_s, shard->index, r.counter, r.arrival_ms / 1000})},
         {"partition_key", r.partition_key},
         {"arrival_ms", r.arrival_ms},
         {"size", r.data.size()},
         {"encrypted", !r.key_ref.empty()},
         {"data", Base64Encode(r.data)}});
    next = r.counter + 1;
    last_arrival = r.arrival_ms;
  }
  const bool at_tip = next >= shard->next_counter;
  return Reply(200, {{"now_ms", now},
                     {"shard_id", shard->shard_id()},
                     {"open", shard->open()},
                     {"records", std::move(records)},
                     {"next_position", std::to_string(next)},
                     {"at_tip", at_tip},
                     {"millis_behind_latest", at_tip ? 0 : std::max<int64_t>(0, now - last_arrival)}});
}

HttpResponse ConsoleRoutes::CallRate(const HttpRequest& req) const {
  int seconds = 300;
  if (req.query.count("seconds") != 0) {
    auto n = ParseCount(req.Query("seconds"));
    if (!n || *n < 1 || *n > kMaxRateSeconds) {
      return Error(400, "InvalidRequest", "seconds must be an integer from 1 to " + std::to_string(kMaxRateSeconds));
    }
    seconds = static_cast<int>(*n);
  }
  const int64_t now = clock_.NowMillis();
  Json ok = Json::array(), client = Json::array(), server = Json::array(), dropped = Json::array(),
       faulted = Json::array();
  const std::vector<CallSecond> buckets = journal_.PerSecond(now, seconds);
  for (const auto& b : buckets) {
    ok.push_back(b.ok);
    client.push_back(b.client_error);
    server.push_back(b.server_error);
    dropped.push_back(b.dropped);
    faulted.push_back(b.faulted);
  }
  return Reply(200, {{"now_ms", now},
                     {"from_second", buckets.front().second},
                     {"ok", std::move(ok)},
                     {"client_error", std::move(client)},
                     {"server_error", std::move(server)},
                     {"dropped", std::move(dropped)},
                     {"faulted", std::move(faulted)}});
}

}  // namespace kemu
