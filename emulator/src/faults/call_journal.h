// CallJournal: a bounded record of recent API calls, so a test can assert what its client did.
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "api/json.h"
#include "kemu/status.h"

namespace kemu {

struct CallRecord {
  uint64_t seq = 0;
  int64_t time_ms = 0;
  std::string operation;
  std::string stream;
  std::string shard;
  int status = 0;
  std::string error;         // __type, empty on success
  std::string fault_id;      // the rule that fired, if any
  std::string http_version;  // "1.1" or "2"
};

// Which calls a query returns; every default matches all.
struct CallFilter {
  enum class Faults { kAny, kFaulted, kNotFaulted, kRule };

  std::string operation;  // empty: any
  std::string stream;     // empty: any
  int status_from = 0;    // status in [status_from, status_to]; 0 is a dropped connection
  int status_to = 999;
  bool errors_only = false;  // every status but 200
  Faults faults = Faults::kAny;
  std::string fault_id;     // with kRule
  uint64_t before_seq = 0;  // only calls older than this one (paging); 0: no bound
  size_t limit = 100;
};

// Reads the optional filters `status` (a code such as 200, a class such as 4xx, or "error": all but 200),
// `fault` ("any": a rule decided the call, "none", or a rule id) and `before` (a seq) into `filter`;
// InvalidArgument names the bad one.
Status ParseCallFilter(const std::map<std::string, std::string>& query, CallFilter& filter);

// Calls of one second of clock time, by outcome.
struct CallSecond {
  int64_t second = 0;    // epoch seconds
  int ok = 0;            // 2xx
  int client_error = 0;  // 4xx
  int server_error = 0;  // 5xx
  int dropped = 0;       // connection closed without an answer (a fault)
  int faulted = 0;       // any of the above that a fault rule decided
};

class CallJournal {
 public:
  explicit CallJournal(size_t capacity) : capacity_(capacity) {}

  void Add(CallRecord record);
  // The most recent `limit` calls matching the filters (empty filter: any), oldest first.
  std::vector<CallRecord> Query(const std::string& operation, const std::string& stream, size_t limit) const;
  // The most recent `filter.limit` calls matching `filter`, newest first.
  std::vector<CallRecord> QueryNewest(const CallFilter& filter) const;
  // One entry per second of the `seconds` seconds ending at `now_ms` (oldest first). Walks back from the newest
  // call to the first one before the window, so the cost is bounded by the calls in the window.
  std::vector<CallSecond> PerSecond(int64_t now_ms, int seconds) const;
  void Clear();
  static Json ToJson(const CallRecord& r);

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::deque<CallRecord> records_;
  uint64_t next_seq_ = 1;
};

}  // namespace kemu
