// SqliteStore: the Store on SQLite, in memory (default) or in a file (--data).
//
// One connection guarded by a mutex; every statement is prepared once and
// reused. A file database runs in WAL mode with synchronous=NORMAL: a commit
// survives the process being killed (kill -9), because the WAL write has
// reached the OS before the call returns; it may not survive a power loss (see
// docs/durability.md).
//
// Thread-safety: all methods are safe to call concurrently (serialized
// internally).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace kemu {

class SqliteStore final : public Store {
 public:
  // `path` empty: a private in-memory database.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore() override;

  Result<std::string> Secret(const std::string& name, size_t bytes) override;
  Result<std::map<std::string, AccountSettings>> LoadAccountSettings() override;
  Status SaveAccountSettings(const std::string& account, const AccountSettings& settings) override;
  Result<std::vector<StreamInfo>> LoadStreams() override;
  Status InsertStream(StreamInfo& stream) override;
  Status UpdateStream(const StreamInfo& stream) override;
  Status DeleteStream(int64_t stream_id) override;
  Status Reset() override;
  Status AppendRecords(int64_t stream_id, std::span<const NewRecord> records) override;
  Result<RecordBatch> ReadRecords(int64_t stream_id, uint32_t shard_index, const ReadLimits& limits) override;
  Result<std::optional<uint64_t>> FirstCounterAtOrAfter(int64_t stream_id, uint32_t shard_index,
                                                        int64_t epoch_ms) override;
  Result<int64_t> DeleteRecordsBelow(int64_t stream_id, uint32_t shard_index, uint64_t counter) override;
  Result<std::vector<ShardTip>> ShardTips(int64_t stream_id) override;

 private:
  class Statement;
  SqliteStore() = default;
  Status Exec(const char* sql);
  Status Error(const char* what);
  Status PrepareAll();

  std::mutex mu_;
  sqlite3* db_ = nullptr;
  std::unique_ptr<Statement> insert_record_, read_records_, first_at_time_, shard_tips_, insert_stream_, update_stream_,
      delete_stream_, delete_stream_records_, select_streams_, select_secret_, insert_secret_, select_account_settings_,
      upsert_account_settings_, trim_records_, begin_, commit_, rollback_;
};

}  // namespace kemu
