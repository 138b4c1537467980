#include "faults/call_journal.h"

#include <algorithm>

namespace kemu {

void CallJournal::Add(CallRecord record) {
  std::lock_guard lock(mu_);
  record.seq = next_seq_++;
  records_.push_back(std::move(record));
  while (records_.size() > capacity_) records_.pop_front();
}

std::vector<CallRecord> CallJournal::Query(const std::string& operation, const std::string& stream,
                                           size_t limit) const {
  std::lock_guard lock(mu_);
  std::vector<CallRecord> out;
  for (auto it = records_.rbegin(); it != records_.rend() && out.size() < limit; ++it) {
    if (!operation.empty() && it->operation != operation) continue;
    if (!stream.empty() && it->stream != stream) continue;
    out.push_back(*it);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

void CallJournal::Clear() {
  std::lock_guard lock(mu_);
  records_.clear();
}

Json CallJournal::ToJson(const CallRecord& r) {
  return {{"seq", r.seq},
          {"time_ms", r.time_ms},
          {"operation", r.operation},
          {"stream", r.stream.empty() ? Json(nullptr) : Json(r.stream)},
          {"shard", r.shard.empty() ? Json(nullptr) : Json(r.shard)},
          {"status", r.status},
          {"error", r.error.empty() ? Json(nullptr) : Json(r.error)},
          {"fault_id", r.fault_id.empty() ? Json(nullptr) : Json(r.fault_id)},
          {"http_version", r.http_version}};
}

}  // namespace kemu
