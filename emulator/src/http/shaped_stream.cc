#include "http/shaped_stream.h"

#include <algorithm>
#include <thread>

namespace kemu {
namespace {

using std::chrono::milliseconds;

int64_t Resolve(int64_t at, int64_t length) { return at == WireFault::kHalf ? length / 2 : std::max<int64_t>(at, 0); }

// A bandwidth cap lets this much time's worth of bytes go at once: a quiet moment does not bank a burst.
constexpr double kBurstSeconds = 0.02;

}  // namespace

ShapedStream::ShapedStream(std::string body, WireFault fault) : inner_ended_(true), pending_(std::move(body)) {
  const auto length = static_cast<int64_t>(pending_.size());
  Arm(std::move(fault), 0, length, SteadyClock::now());
  // A reset of a whole body keeps at least its last byte back: otherwise the client has the complete answer.
  if (armed_ && armed_->reset_at && length > 0) armed_->reset_at = std::min(*armed_->reset_at, length - 1);
}

ShapedStream::ShapedStream(std::shared_ptr<ResponseStream> inner, WireFault fault) : inner_(std::move(inner)) {
  Arm(std::move(fault), 0, 0, SteadyClock::now());
}

void ShapedStream::Arm(WireFault fault, int64_t start, int64_t length, SteadyClock::time_point now) {
  if (!fault.drop && !fault.shapes()) return;
  Armed a;
  a.start = start;
  a.length = length;
  if (fault.drop) {
    a.reset_at = start;
  } else if (fault.reset_at_bytes) {
    a.reset_at = start + Resolve(*fault.reset_at_bytes, length);
  }
  if (fault.stall_at_bytes) a.stall_at = start + Resolve(*fault.stall_at_bytes, length);
  a.fault = std::move(fault);
  armed_ = std::move(a);
  tokens_ = 0;
  tokens_at_ = now;
  next_slice_at_ = now;
}

bool ShapedStream::Stalled(SteadyClock::time_point now) {
  if (!armed_ || !armed_->stall_at || armed_->stall_over || released_ < *armed_->stall_at) return false;
  if (!armed_->stall_started) armed_->stall_started = now;
  const WireFault& f = armed_->fault;
  const bool holding =
      f.stall_for.count() > 0 ? now < *armed_->stall_started + f.stall_for : (!f.rule_live || f.rule_live());
  if (!holding) armed_->stall_over = true;
  return holding;
}

ResponseStream::State ShapedStream::Pull(std::string& out) {
  const auto now = SteadyClock::now();
  // The inner stream is pulled only once what it gave before is out: a slow fault holds the producer back instead
  // of piling its bytes up here.
  if (inner_ != nullptr && !inner_ended_ && pending_at_ == pending_.size()) {
    pending_.clear();
    pending_at_ = 0;
    const State inner_state = inner_->Pull(pending_);
    if (auto at = inner_->TakeWireFault()) {
      Arm(std::move(at->fault), released_ + static_cast<int64_t>(at->offset), static_cast<int64_t>(at->length), now);
    }
    if (inner_state != State::kMore) {
      inner_ended_ = true;
      inner_final_ = inner_state;
    }
  }
  auto reset_due = [&] { return armed_ && armed_->reset_at && released_ >= *armed_->reset_at; };
  auto reset_state = [&] { return armed_->fault.reset_whole_connection ? State::kResetConnection : State::kReset; };
  if (reset_due()) return reset_state();

  auto allow = static_cast<int64_t>(pending_.size() - pending_at_);
  const bool shaping = armed_ && released_ >= armed_->start;
  if (armed_ && !shaping) {
    allow = std::min(allow, armed_->start - released_);  // the bytes before the fault's event go as they are
  } else if (armed_) {
    const WireFault& f = armed_->fault;
    if (armed_->reset_at) allow = std::min(allow, *armed_->reset_at - released_);
    if (Stalled(now)) {
      allow = 0;
    } else if (armed_->stall_at && !armed_->stall_over) {
      allow = std::min(allow, *armed_->stall_at - released_);
    }
    if (f.bytes_per_second > 0) {
      const double rate = static_cast<double>(f.bytes_per_second);
      tokens_ += rate * std::chrono::duration<double>(now - tokens_at_).count();
      tokens_ = std::min(tokens_, std::max(1.0, rate * kBurstSeconds));
      tokens_at_ = now;
      allow = std::min(allow, static_cast<int64_t>(tokens_));
    }
    if (f.slice_bytes > 0) allow = now < next_slice_at_ ? 0 : std::min(allow, f.slice_bytes);
  }
  if (allow > 0) {
    out.append(pending_, pending_at_, static_cast<size_t>(allow));
    pending_at_ += static_cast<size_t>(allow);
    released_ += allow;
    if (shaping && armed_->fault.bytes_per_second > 0) tokens_ -= static_cast<double>(allow);
    if (shaping && armed_->fault.slice_bytes > 0) next_slice_at_ = now + armed_->fault.slice_delay;
  }
  if (pending_at_ == pending_.size()) {
    pending_.clear();
    pending_at_ = 0;
  }
  if (reset_due()) return reset_state();  // the transport sends these bytes first
  if (!inner_ended_ || !pending_.empty()) return State::kMore;
  if (armed_ && armed_->fault.close_delay.count() > 0) {
    if (!end_at_) end_at_ = now + armed_->fault.close_delay;
    if (now < *end_at_) return State::kMore;
  }
  return inner_final_;
}

std::optional<ShapedStream::SteadyClock::time_point> ShapedStream::NextDue(SteadyClock::time_point now) const {
  if (!armed_) return std::nullopt;
  std::optional<SteadyClock::time_point> due;
  auto consider = [&](SteadyClock::time_point t) { due = due ? std::min(*due, t) : t; };
  const WireFault& f = armed_->fault;
  if (armed_->stall_started && !armed_->stall_over) {
    // A stall until the rule goes: ask the rule again at the repoll.
    consider(f.stall_for.count() > 0 ? *armed_->stall_started + f.stall_for : now + kRepollMs);
  }
  if (pending_at_ < pending_.size()) {
    if (f.bytes_per_second > 0 && tokens_ < 1.0) {
      const double seconds = (1.0 - tokens_) / static_cast<double>(f.bytes_per_second);
      consider(now + std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds)));
    }
    if (f.slice_bytes > 0) consider(next_slice_at_);
  }
  if (end_at_) consider(*end_at_);
  return due;
}

std::chrono::milliseconds ShapedStream::PollWithin() const {
  const auto now = SteadyClock::now();
  const milliseconds inner = inner_ != nullptr && !inner_ended_ ? inner_->PollWithin() : kRepollMs;
  const auto due = NextDue(now);
  if (!due) return inner;
  const auto until = std::chrono::ceil<milliseconds>(*due - now);
  return std::clamp(until, milliseconds(1), inner);
}

void ShapedStream::Wait(milliseconds timeout) {
  const auto now = SteadyClock::now();
  const auto due = NextDue(now);
  milliseconds wait = timeout;
  if (due) wait = std::clamp(std::chrono::ceil<milliseconds>(*due - now), milliseconds(0), timeout);
  if (inner_ != nullptr && !inner_ended_ && pending_at_ == pending_.size()) {
    inner_->Wait(wait);  // new bytes from the inner stream end the wait early
  } else if (wait.count() > 0) {
    std::this_thread::sleep_for(wait);
  }
}

void ShapedStream::SetWaker(std::function<void()> waker) {
  if (inner_ != nullptr) inner_->SetWaker(std::move(waker));
}

void ShapedStream::Apply(HttpResponse& response) {
  if (response.stream != nullptr) {
    response.stream = std::make_shared<ShapedStream>(std::move(response.stream), response.wire);
    return;
  }
  if (!response.wire.shapes()) return;
  const size_t length = response.body.size();
  response.stream = std::make_shared<ShapedStream>(std::move(response.body), response.wire);
  response.body.clear();
  if (response.wire.close_delay.count() > 0) {
    response.stream_ends_connection = true;
  } else {
    response.stream_length = length;
  }
}

}  // namespace kemu
