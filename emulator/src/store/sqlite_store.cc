#include "store/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "api/json.h"

namespace kemu {

// A prepared statement, reset after each use.
class SqliteStore::Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    ok_ = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) == SQLITE_OK;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  bool ok() const { return ok_; }
  sqlite3_stmt* get() { return stmt_; }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS secrets(name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS streams(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  account TEXT NOT NULL,
  region TEXT NOT NULL,
  name TEXT NOT NULL,
  doc TEXT NOT NULL,
  UNIQUE(account, region, name));
CREATE TABLE IF NOT EXISTS records(
  id INTEGER PRIMARY KEY,
  stream_id INTEGER NOT NULL,
  shard_index INTEGER NOT NULL,
  counter INTEGER NOT NULL,
  arrival_ms INTEGER NOT NULL,
  partition_key TEXT NOT NULL,
  data BLOB NOT NULL,
  key_ref TEXT);
CREATE UNIQUE INDEX IF NOT EXISTS records_by_position ON records(stream_id, shard_index, counter);
CREATE TABLE IF NOT EXISTS account_settings(account TEXT PRIMARY KEY, doc TEXT NOT NULL);
)sql";

std::string AccountSettingsDoc(const AccountSettings& a) {
  Json doc = {{"commitment_status", ToString(a.commitment_status)}};
  if (a.started_ms) doc["started_ms"] = *a.started_ms;
  if (a.ended_ms) doc["ended_ms"] = *a.ended_ms;
  if (a.earliest_end_ms) doc["earliest_end_ms"] = *a.earliest_end_ms;
  return doc.dump();
}

std::optional<AccountSettings> AccountSettingsFromDoc(const std::string& text) {
  Json doc = Json::parse(text, nullptr, false);
  if (!doc.is_object() || !doc.contains("commitment_status") || !doc["commitment_status"].is_string()) {
    return std::nullopt;
  }
  AccountSettings a;
  auto status = ParseCommitmentStatus(doc["commitment_status"].get<std::string>());
  if (!status) return std::nullopt;
  a.commitment_status = *status;
  auto ms = [&doc](const char* key) -> std::optional<int64_t> {
    if (!doc.contains(key) || !doc[key].is_number_integer()) return std::nullopt;
    return doc[key].get<int64_t>();
  };
  a.started_ms = ms("started_ms");
  a.ended_ms = ms("ended_ms");
  a.earliest_end_ms = ms("earliest_end_ms");
  // A commitment that is still winding down needs its end, or GetAccountSettings could not decide when it ends.
  if (a.commitment_status == CommitmentStatus::kEnabledUntilEarliestAllowedEnd && !a.earliest_end_ms)
    return std::nullopt;
  return a;
}

Json ShardToJson(const ShardInfo& s) {
  Json j = {{"index", s.index},
            {"start", FormatHashKey(s.range.start)},
            {"end", FormatHashKey(s.range.end)},
            {"created_ms", s.created_ms},
            {"seq_epoch_s", s.seq_epoch_s}};
  if (s.parent) j["parent"] = *s.parent;
  if (s.adjacent_parent) j["adjacent_parent"] = *s.adjacent_parent;
  if (s.closed_ms) j["closed_ms"] = *s.closed_ms;
  if (s.counter_floor > 0) j["counter_floor"] = s.counter_floor;
  return j;
}

ShardInfo ShardFromJson(const Json& j) {
  ShardInfo s;
  s.index = j.at("index").get<uint32_t>();
  s.range.start = ParseHashKey(j.at("start").get<std::string>()).value_or(0);
  s.range.end = ParseHashKey(j.at("end").get<std::string>()).value_or(0);
  s.created_ms = j.at("created_ms").get<int64_t>();
  s.seq_epoch_s = j.at("seq_epoch_s").get<int64_t>();
  if (j.contains("parent")) s.parent = j["parent"].get<uint32_t>();
  if (j.contains("adjacent_parent")) s.adjacent_parent = j["adjacent_parent"].get<uint32_t>();
  if (j.contains("closed_ms")) s.closed_ms = j["closed_ms"].get<int64_t>();
  s.counter_floor = j.value("counter_floor", uint64_t{0});
  return s;
}

constexpr std::pair<PendingReshard::Kind, const char*> kReshardKinds[] = {
    {PendingReshard::Kind::kSplit, "split"},
    {PendingReshard::Kind::kMerge, "merge"},
    {PendingReshard::Kind::kUniformScaling, "uniform_scaling"}};

Json PendingReshardToJson(const PendingReshard& r) {
  Json j = {{"shard", r.shard},
            {"adjacent", r.adjacent},
            {"target_count", r.target_count},
            {"new_starting_hash_key", FormatHashKey(r.new_starting_hash_key)}};
  for (const auto& [kind, name] : kReshardKinds) {
    if (kind == r.kind) j["kind"] = name;
  }
  return j;
}

// Throws (as the rest of a malformed document does) when a member is missing or unknown.
PendingReshard PendingReshardFromJson(const Json& j) {
  PendingReshard r;
  const std::string kind = j.at("kind").get<std::string>();
  bool known = false;
  for (const auto& [k, name] : kReshardKinds) {
    if (kind == name) {
      r.kind = k;
      known = true;
    }
  }
  auto key = ParseHashKey(j.at("new_starting_hash_key").get<std::string>());
  if (!known || !key) throw std::invalid_argument("malformed pending_reshard");
  r.shard = j.at("shard").get<uint32_t>();
  r.adjacent = j.at("adjacent").get<uint32_t>();
  r.target_count = j.at("target_count").get<int>();
  r.new_starting_hash_key = *key;
  return r;
}

// A state the stored document names; an unknown name makes the document corrupt.
template <typename E>
E Known(std::optional<E> value, const char* what) {
  if (!value) throw std::invalid_argument(std::string("unknown ") + what);
  return *value;
}

std::string StreamDoc(const StreamInfo& s) {
  Json j = {{"arn", s.arn},
            {"status", ToString(s.status)},
            {"transition_at_ms", s.transition_at_ms},
            {"mode", ToString(s.mode)},
            {"created_ms", s.created_ms},
            {"retention_hours", s.retention_hours},
            {"encryption_type", ToString(s.encryption_type)},
            {"key_id", s.key_id},
            {"max_record_size_kib", s.max_record_size_kib},
            {"next_shard_index", s.next_shard_index},
            {"tags", s.tags},
            {"key_ref", s.key_ref},
            {"enhanced_metrics", s.enhanced_metrics},
            {"policy", s.policy},
            {"consumers", Json::array()},
            {"shards", Json::array()}};
  if (s.warm_throughput_mibps) j["warm_throughput_mibps"] = *s.warm_throughput_mibps;
  if (!s.scalings_ms.empty()) j["scalings_ms"] = s.scalings_ms;
  if (s.pending_reshard) j["pending_reshard"] = PendingReshardToJson(*s.pending_reshard);
  for (const auto& c : s.consumers) {
    j["consumers"].push_back({{"name", c.name},
                              {"arn", c.arn},
                              {"status", ToString(c.status)},
                              {"created_ms", c.created_ms},
                              {"transition_at_ms", c.transition_at_ms},
                              {"tags", c.tags},
                              {"policy", c.policy}});
  }
  for (const auto& shard : s.shards) j["shards"].push_back(ShardToJson(shard));
  return j.dump();
}

void FillFromDoc(const std::string& doc, StreamInfo& s) {
  Json j = Json::parse(doc);
  s.arn = j.at("arn").get<std::string>();
  s.status = Known(ParseStreamStatus(j.at("status").get<std::string>()), "status");
  s.transition_at_ms = j.at("transition_at_ms").get<int64_t>();
  s.mode = Known(ParseStreamMode(j.at("mode").get<std::string>()), "mode");
  s.created_ms = j.at("created_ms").get<int64_t>();
  s.retention_hours = j.at("retention_hours").get<int>();
  s.encryption_type = Known(ParseEncryptionType(j.at("encryption_type").get<std::string>()), "encryption_type");
  s.key_id = j.at("key_id").get<std::string>();
  s.max_record_size_kib = j.at("max_record_size_kib").get<int>();
  s.next_shard_index = j.at("next_shard_index").get<uint32_t>();
  s.tags = j.at("tags").get<std::map<std::string, std::string>>();
  for (const auto& shard : j.at("shards")) s.shards.push_back(ShardFromJson(shard));
  s.key_ref = j.value("key_ref", std::string());
  s.enhanced_metrics = j.value("enhanced_metrics", std::vector<std::string>());
  s.policy = j.value("policy", std::string());
  if (j.contains("warm_throughput_mibps")) s.warm_throughput_mibps = j["warm_throughput_mibps"].get<int>();
  s.scalings_ms = j.value("scalings_ms", std::vector<int64_t>());
  if (j.contains("pending_reshard")) s.pending_reshard = PendingReshardFromJson(j["pending_reshard"]);
  for (const auto& c : j.value("consumers", Json::array())) {
    ConsumerInfo consumer;
    consumer.name = c.at("name").get<std::string>();
    consumer.arn = c.at("arn").get<std::string>();
    consumer.status = Known(ParseConsumerStatus(c.at("status").get<std::string>()), "consumer status");
    consumer.created_ms = c.at("created_ms").get<int64_t>();
    consumer.transition_at_ms = c.at("transition_at_ms").get<int64_t>();
    consumer.tags = c.at("tags").get<std::map<std::string, std::string>>();
    consumer.policy = c.at("policy").get<std::string>();
    s.consumers.push_back(std::move(consumer));
  }
}

void BindText(sqlite3_stmt* st, int i, std::string_view s) {
  sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
}

std::string OwnerAndMode(const struct stat& st) {
  char mode[8];
  std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return "owner uid " + std::to_string(st.st_uid) + ", gid " + std::to_string(st.st_gid) + ", mode " + mode;
}

// Ok when SQLite can create and write the data file (and, in WAL mode, FILE-wal and FILE-shm next to it); else
// an error that says what is wrong and what to change. SQLite's own "unable to open database file" says neither,
// and the usual cause is a directory bind-mounted into a container whose user may not write it.
Status CheckDataFileAccess(const std::string& path) {
  const std::filesystem::path file(path);
  const std::string dir = file.has_parent_path() ? file.parent_path().string() : std::string(".");
  const std::string prefix = "cannot use the data file " + path + ": ";
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    return Status(ErrorCode::kInvalidArgument, prefix + "its directory " + dir + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) return Status(ErrorCode::kInvalidArgument, prefix + dir + " is not a directory");
  const std::string uid = std::to_string(::geteuid());
  const std::string who = "this process (uid " + uid + ", gid " + std::to_string(::getegid()) + ")";
  const std::string fix = "Make it writable for uid " + uid +
                          " (for a directory bind-mounted into a container: chown it to that uid on the host, or "
                          "run the container as the directory's owner with --user), or choose another data file.";
  if (::faccessat(AT_FDCWD, dir.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
    const std::string reason = std::strerror(errno);
    return Status(ErrorCode::kInvalidArgument, prefix + "the directory " + dir + " is not writable for " + who + ": " +
                                                   reason + " (" + OwnerAndMode(st) + "). SQLite creates " +
                                                   file.filename().string() + " and its -wal and -shm files there. " +
                                                   fix);
  }
  struct stat file_st {};
  if (::stat(path.c_str(), &file_st) == 0 && ::faccessat(AT_FDCWD, path.c_str(), R_OK | W_OK, AT_EACCESS) != 0) {
    const std::string reason = std::strerror(errno);
    return Status(ErrorCode::kInvalidArgument, prefix + "the file is not readable and writable for " + who + ": " +
                                                   reason + " (" + OwnerAndMode(file_st) + "). " + fix);
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path) {
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const char* filename = path.empty() ? ":memory:" : path.c_str();
  if (!path.empty()) KEMU_RETURN_IF_ERROR(CheckDataFileAccess(path));
  if (sqlite3_open_v2(filename, &store->db_, flags, nullptr) != SQLITE_OK) {
    return Status(ErrorCode::kInternalError, "cannot open SQLite database " + path + ": " + sqlite3_errmsg(store->db_));
  }
  sqlite3_busy_timeout(store->db_, 5000);
  if (path.empty()) {
    // In memory the pages are the data: 8 KiB pages hold seven 1 KiB records where 4 KiB pages hold three, which
    // brings the RSS growth from about 1.53 to 1.27 bytes per byte of record data (larger pages save little more,
    // and every transaction copies the pages it changes to the rollback journal).
    KEMU_RETURN_IF_ERROR(store->Exec("PRAGMA page_size=8192; PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF;"));
  } else {
    KEMU_RETURN_IF_ERROR(store->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
  }
  KEMU_RETURN_IF_ERROR(store->Exec("PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;"));
  KEMU_RETURN_IF_ERROR(store->Exec(kSchema));
  // Files written before records could be encrypted lack the key_ref column;
  // adding it twice fails harmlessly.
  (void)store->Exec("ALTER TABLE records ADD COLUMN key_ref TEXT");
  KEMU_RETURN_IF_ERROR(store->PrepareAll());
  return store;
}

SqliteStore::~SqliteStore() {
  insert_record_.reset();
  read_records_.reset();
  first_at_time_.reset();
  shard_tips_.reset();
  insert_stream_.reset();
  update_stream_.reset();
  delete_stream_.reset();
  delete_stream_records_.reset();
  select_streams_.reset();
  select_secret_.reset();
  trim_records_.reset();
  insert_secret_.reset();
  select_account_settings_.reset();
  upsert_account_settings_.reset();
  begin_.reset();
  commit_.reset();
  rollback_.reset();
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Status SqliteStore::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status(ErrorCode::kInternalError, std::string("SQLite: ") + msg);
  }
  return Status::Ok();
}

Status SqliteStore::Error(const char* what) {
  return Status(ErrorCode::kInternalError, std::string("SQLite ") + what + ": " + sqlite3_errmsg(db_));
}

Status SqliteStore::PrepareAll() {
  struct {
    std::unique_ptr<Statement>* slot;
    const char* sql;
  } statements[] = {
      {&insert_record_,
       "INSERT INTO records(stream_id, shard_index, counter, arrival_ms, "
       "partition_key, data, key_ref) "
       "VALUES(?,?,?,?,?,?,?)"},
      {&read_records_,
       "SELECT counter, arrival_ms, partition_key, data, key_ref FROM records "
       "WHERE stream_id=? AND shard_index=? AND "
       "counter>=? AND arrival_ms>=? ORDER BY counter LIMIT ?"},
      {&first_at_time_,
       "SELECT counter FROM records WHERE stream_id=? AND shard_index=? AND "
       "arrival_ms>=? ORDER BY counter LIMIT 1"},
      {&shard_tips_,
       "SELECT shard_index, MAX(counter), arrival_ms FROM records WHERE "
       "stream_id=? GROUP BY shard_index"},
      {&trim_records_,
       "DELETE FROM records WHERE stream_id=? AND shard_index=? AND "
       "counter<?"},
      {&insert_stream_, "INSERT INTO streams(account, region, name, doc) VALUES(?,?,?,?)"},
      {&update_stream_, "UPDATE streams SET doc=? WHERE id=?"},
      {&delete_stream_, "DELETE FROM streams WHERE id=?"},
      {&delete_stream_records_, "DELETE FROM records WHERE stream_id=?"},
      {&select_streams_, "SELECT id, account, region, name, doc FROM streams ORDER BY id"},
      {&select_secret_, "SELECT value FROM secrets WHERE name=?"},
      {&insert_secret_, "INSERT INTO secrets(name, value) VALUES(?,?)"},
      {&select_account_settings_, "SELECT account, doc FROM account_settings"},
      {&upsert_account_settings_,
       "INSERT INTO account_settings(account, doc) VALUES(?,?) ON CONFLICT(account) DO UPDATE SET doc=excluded.doc"},
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
  };
  for (auto& s : statements) {
    *s.slot = std::make_unique<Statement>(db_, s.sql);
    if (!(*s.slot)->ok()) return Error("prepare");
  }
  return Status::Ok();
}

Result<std::string> SqliteStore::Secret(const std::string& name, size_t bytes) {
  std::lock_guard lock(mu_);
  auto* st = select_secret_->get();
  BindText(st, 1, name);
  std::string value;
  if (sqlite3_step(st) == SQLITE_ROW) {
    value.assign(static_cast<const char*>(sqlite3_column_blob(st, 0)), sqlite3_column_bytes(st, 0));
  }
  select_secret_->Reset();
  if (!value.empty()) return value;
  value.resize(bytes);
  // The kernel's generator (OpenSSL's would page in most of libcrypto at every start for these few bytes).
  for (size_t got = 0; got < bytes;) {
    ssize_t n = getrandom(value.data() + got, bytes - got, 0);
    if (n < 0 && errno != EINTR) return Status(ErrorCode::kInternalError, "getrandom failed");
    if (n > 0) got += static_cast<size_t>(n);
  }
  auto* ins = insert_secret_->get();
  BindText(ins, 1, name);
  sqlite3_bind_blob(ins, 2, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  int rc = sqlite3_step(ins);
  insert_secret_->Reset();
  if (rc != SQLITE_DONE) return Error("insert secret");
  return value;
}

Result<std::map<std::string, AccountSettings>> SqliteStore::LoadAccountSettings() {
  std::lock_guard lock(mu_);
  auto* st = select_account_settings_->get();
  std::map<std::string, AccountSettings> out;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    // A document this version cannot read is skipped (the account starts from the defaults).
    if (auto a = AccountSettingsFromDoc(reinterpret_cast<const char*>(sqlite3_column_text(st, 1)))) {
      out.emplace(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), *a);
    }
  }
  select_account_settings_->Reset();
  if (rc != SQLITE_DONE) return Error("load account settings");
  return out;
}

Status SqliteStore::SaveAccountSettings(const std::string& account, const AccountSettings& settings) {
  const std::string doc = AccountSettingsDoc(settings);
  std::lock_guard lock(mu_);
  auto* st = upsert_account_settings_->get();
  BindText(st, 1, account);
  BindText(st, 2, doc);
  const int rc = sqlite3_step(st);
  upsert_account_settings_->Reset();
  if (rc != SQLITE_DONE) return Error("save account settings");
  return Status::Ok();
}

Result<std::vector<StreamInfo>> SqliteStore::LoadStreams() {
  std::lock_guard lock(mu_);
  std::vector<StreamInfo> streams;
  auto* st = select_streams_->get();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    StreamInfo s;
    s.id = sqlite3_column_int64(st, 0);
    s.account = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    s.region = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
    s.name = reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
    try {
      FillFromDoc(reinterpret_cast<const char*>(sqlite3_column_text(st, 4)), s);
    } catch (const std::exception& e) {
      select_streams_->Reset();
      return Status(ErrorCode::kInternalError, "corrupt stream metadata for " + s.name + ": " + e.what());
    }
    streams.push_back(std::move(s));
  }
  select_streams_->Reset();
  if (rc != SQLITE_DONE) return Error("load streams");
  return streams;
}

Status SqliteStore::InsertStream(StreamInfo& stream) {
  std::lock_guard lock(mu_);
  auto* st = insert_stream_->get();
  std::string doc = StreamDoc(stream);
  BindText(st, 1, stream.account);
  BindText(st, 2, stream.region);
  BindText(st, 3, stream.name);
  BindText(st, 4, doc);
  int rc = sqlite3_step(st);
  insert_stream_->Reset();
  if (rc != SQLITE_DONE) return Error("insert stream");
  stream.id = sqlite3_last_insert_rowid(db_);
  return Status::Ok();
}

Status SqliteStore::UpdateStream(const StreamInfo& stream) {
  std::lock_guard lock(mu_);
  auto* st = update_stream_->get();
  std::string doc = StreamDoc(stream);
  BindText(st, 1, doc);
  sqlite3_bind_int64(st, 2, stream.id);
  int rc = sqlite3_step(st);
  update_stream_->Reset();
  if (rc != SQLITE_DONE) return Error("update stream");
  return Status::Ok();
}

Status SqliteStore::DeleteStream(int64_t stream_id) {
  std::lock_guard lock(mu_);
  if (sqlite3_step(begin_->get()) != SQLITE_DONE) {
    begin_->Reset();
    return Error("begin");
  }
  begin_->Reset();
  bool ok = true;
  for (Statement* s : {delete_stream_records_.get(), delete_stream_.get()}) {
    sqlite3_bind_int64(s->get(), 1, stream_id);
    ok = ok && sqlite3_step(s->get()) == SQLITE_DONE;
    s->Reset();
  }
  Statement* end = ok ? commit_.get() : rollback_.get();
  int rc = sqlite3_step(end->get());
  end->Reset();
  if (!ok || rc != SQLITE_DONE) return Error("delete stream");
  return Status::Ok();
}

Status SqliteStore::Reset() {
  std::lock_guard lock(mu_);
  return Exec("BEGIN IMMEDIATE; DELETE FROM records; DELETE FROM streams; COMMIT;");
}

Status SqliteStore::AppendRecords(int64_t stream_id, std::span<const NewRecord> records) {
  std::lock_guard lock(mu_);
  if (sqlite3_step(begin_->get()) != SQLITE_DONE) {
    begin_->Reset();
    return Error("begin");
  }
  begin_->Reset();
  auto* st = insert_record_->get();
  bool ok = true;
  for (const auto& r : records) {
    sqlite3_bind_int64(st, 1, stream_id);
    sqlite3_bind_int64(st, 2, r.shard_index);
    sqlite3_bind_int64(st, 3, static_cast<int64_t>(r.counter));
    sqlite3_bind_int64(st, 4, r.arrival_ms);
    BindText(st, 5, r.partition_key);
    // An empty blob must still bind as a blob, not NULL (a null pointer would
    // bind NULL).
    sqlite3_bind_blob(st, 6, r.data.empty() ? "" : r.data.data(), static_cast<int>(r.data.size()), SQLITE_STATIC);
    if (r.key_ref.empty()) {
      sqlite3_bind_null(st, 7);
    } else {
      BindText(st, 7, r.key_ref);
    }
    ok = sqlite3_step(st) == SQLITE_DONE;
    sqlite3_reset(st);
    if (!ok) break;
  }
  Status failure = ok ? Status::Ok() : Error("insert record");
  Statement* end = ok ? commit_.get() : rollback_.get();
  int rc = sqlite3_step(end->get());
  end->Reset();
  if (!failure.ok()) return failure;
  if (rc != SQLITE_DONE) return Error("commit");
  return Status::Ok();
}

Result<RecordBatch> SqliteStore::ReadRecords(int64_t stream_id, uint32_t shard_index, const ReadLimits& limits) {
  // Counters are below 2^63 (SQLite's signed 64 bits): a position past them has nothing to read.
  if (limits.from_counter > static_cast<uint64_t>(INT64_MAX)) return RecordBatch();
  std::lock_guard lock(mu_);
  auto* st = read_records_->get();
  sqlite3_bind_int64(st, 1, stream_id);
  sqlite3_bind_int64(st, 2, shard_index);
  sqlite3_bind_int64(st, 3, static_cast<int64_t>(limits.from_counter));
  sqlite3_bind_int64(st, 4, limits.min_arrival_ms);
  sqlite3_bind_int64(st, 5, limits.max_records);
  RecordBatch out;
  size_t bytes = 0;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const int data_len = sqlite3_column_bytes(st, 3);
    const int key_len = sqlite3_column_bytes(st, 2);
    if (!out.empty() && bytes + data_len + key_len > limits.max_bytes) {
      rc = SQLITE_DONE;
      break;
    }
    bytes += data_len + key_len;
    // Straight from SQLite's row into the batch: one copy of each field, no string per record.
    const auto* key = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
    const auto* blob = static_cast<const char*>(sqlite3_column_blob(st, 3));
    std::string_view key_ref;
    if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
      const auto* ref = reinterpret_cast<const char*>(sqlite3_column_text(st, 4));
      key_ref = std::string_view(ref, sqlite3_column_bytes(st, 4));
    }
    out.Append(static_cast<uint64_t>(sqlite3_column_int64(st, 0)), sqlite3_column_int64(st, 1),
               std::string_view(key, key_len), std::string_view(blob, data_len), key_ref);
  }
  read_records_->Reset();
  if (rc != SQLITE_DONE) return Error("read records");
  return out;
}

Result<std::optional<uint64_t>> SqliteStore::FirstCounterAtOrAfter(int64_t stream_id, uint32_t shard_index,
                                                                   int64_t epoch_ms) {
  std::lock_guard lock(mu_);
  auto* st = first_at_time_->get();
  sqlite3_bind_int64(st, 1, stream_id);
  sqlite3_bind_int64(st, 2, shard_index);
  sqlite3_bind_int64(st, 3, epoch_ms);
  std::optional<uint64_t> result;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) result = static_cast<uint64_t>(sqlite3_column_int64(st, 0));
  first_at_time_->Reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Error("find by time");
  return result;
}

Result<int64_t> SqliteStore::DeleteRecordsBelow(int64_t stream_id, uint32_t shard_index, uint64_t counter) {
  std::lock_guard lock(mu_);
  auto* st = trim_records_->get();
  sqlite3_bind_int64(st, 1, stream_id);
  sqlite3_bind_int64(st, 2, shard_index);
  sqlite3_bind_int64(st, 3, static_cast<int64_t>(counter));
  int rc = sqlite3_step(st);
  trim_records_->Reset();
  if (rc != SQLITE_DONE) return Error("trim records");
  return static_cast<int64_t>(sqlite3_changes(db_));
}

Result<std::vector<Store::ShardTip>> SqliteStore::ShardTips(int64_t stream_id) {
  std::lock_guard lock(mu_);
  auto* st = shard_tips_->get();
  sqlite3_bind_int64(st, 1, stream_id);
  std::vector<ShardTip> tips;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    tips.push_back({static_cast<uint32_t>(sqlite3_column_int64(st, 0)),
                    static_cast<uint64_t>(sqlite3_column_int64(st, 1)), sqlite3_column_int64(st, 2)});
  }
  shard_tips_->Reset();
  if (rc != SQLITE_DONE) return Error("shard tips");
  return tips;
}

}  // namespace kemu
