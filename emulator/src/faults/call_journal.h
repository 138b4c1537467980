// CallJournal: a bounded record of recent API calls, so a test can assert what its client did.
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "api/json.h"

namespace kemu {

struct CallRecord {
  uint64_t seq = 0;
  int64_t time_ms = 0;
  std::string operation;
  std::string stream;
  std::string shard;
  int status = 0;
  std::string error;     // __type, empty on success
  std::string fault_id;  // the rule that fired, if any
  std::string http_version;  // "1.1" or "2"
};

class CallJournal {
 public:
  explicit CallJournal(size_t capacity) : capacity_(capacity) {}

  void Add(CallRecord record);
  // The most recent `limit` calls matching the filters (empty filter: any), oldest first.
  std::vector<CallRecord> Query(const std::string& operation, const std::string& stream, size_t limit) const;
  void Clear();
  static Json ToJson(const CallRecord& r);

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::deque<CallRecord> records_;
  uint64_t next_seq_ = 1;
};

}  // namespace kemu
