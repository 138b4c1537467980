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
  CallFilter filter;
  filter.operation = operation;
  filter.stream = stream;
  filter.limit = limit;
  std::vector<CallRecord> out = QueryNewest(filter);
  std::reverse(out.begin(), out.end());
  return out;
}

namespace {

bool Matches(const CallFilter& f, const CallRecord& r) {
  if (!f.operation.empty() && r.operation != f.operation) return false;
  if (!f.stream.empty() && r.stream != f.stream) return false;
  if (r.status < f.status_from || r.status > f.status_to) return false;
  if (f.errors_only && r.status == 200) return false;
  switch (f.faults) {
    case CallFilter::Faults::kAny:
      return true;
    case CallFilter::Faults::kFaulted:
      return !r.fault_id.empty();
    case CallFilter::Faults::kNotFaulted:
      return r.fault_id.empty();
    case CallFilter::Faults::kRule:
      return r.fault_id == f.fault_id;
  }
  return true;
}

bool AllDigits(const std::string& s, size_t max_len) {
  if (s.empty() || s.size() > max_len) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Status ParseCallFilter(const std::map<std::string, std::string>& query, CallFilter& filter) {
  auto bad = [](const std::string& m) { return Status(ErrorCode::kInvalidArgument, m); };
  if (auto it = query.find("status"); it != query.end() && !it->second.empty()) {
    const std::string& v = it->second;
    if (v == "error") {
      filter.errors_only = true;
    } else if (v.size() == 3 && v[0] >= '1' && v[0] <= '5' && v.substr(1) == "xx") {
      filter.status_from = (v[0] - '0') * 100;
      filter.status_to = filter.status_from + 99;
    } else if (AllDigits(v, 3)) {
      filter.status_from = filter.status_to = std::stoi(v);
    } else {
      return bad("status must be a status code (200, 0 for a dropped connection), a class (4xx) or error");
    }
  }
  if (auto it = query.find("fault"); it != query.end() && !it->second.empty()) {
    if (it->second == "any") {
      filter.faults = CallFilter::Faults::kFaulted;
    } else if (it->second == "none") {
      filter.faults = CallFilter::Faults::kNotFaulted;
    } else {
      filter.faults = CallFilter::Faults::kRule;
      filter.fault_id = it->second;
    }
  }
  if (auto it = query.find("before"); it != query.end() && !it->second.empty()) {
    if (!AllDigits(it->second, 19)) return bad("before must be a call's seq");
    filter.before_seq = std::stoull(it->second);
  }
  return Status::Ok();
}

std::vector<CallRecord> CallJournal::QueryNewest(const CallFilter& filter) const {
  std::lock_guard lock(mu_);
  std::vector<CallRecord> out;
  for (auto it = records_.rbegin(); it != records_.rend() && out.size() < filter.limit; ++it) {
    if (filter.before_seq != 0 && it->seq >= filter.before_seq) continue;
    if (Matches(filter, *it)) out.push_back(*it);
  }
  return out;
}

std::vector<CallSecond> CallJournal::PerSecond(int64_t now_ms, int seconds) const {
  std::vector<CallSecond> out(static_cast<size_t>(std::max(seconds, 0)));
  const int64_t last = now_ms / 1000;
  const int64_t first = last - static_cast<int64_t>(out.size()) + 1;
  for (size_t i = 0; i < out.size(); ++i) out[i].second = first + static_cast<int64_t>(i);
  if (out.empty()) return out;
  std::lock_guard lock(mu_);
  for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
    const int64_t s = it->time_ms / 1000;
    if (s < first) break;    // older calls are outside the window
    if (s > last) continue;  // the clock was moved back since
    CallSecond& b = out[static_cast<size_t>(s - first)];
    if (it->status == 0) {
      ++b.dropped;
    } else if (it->status < 400) {
      ++b.ok;
    } else if (it->status < 500) {
      ++b.client_error;
    } else {
      ++b.server_error;
    }
    if (!it->fault_id.empty()) ++b.faulted;
  }
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
