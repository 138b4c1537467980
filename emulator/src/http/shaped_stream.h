// ShapedStream: an answer's bytes released as an injected wire fault says (kemu/fault_plugin.h's WireFault): at
// a capped rate, in slices with a delay between them, stalled at an offset, reset at an offset, or with its end
// held back. It wraps either a whole body (a plain call's answer) or another ResponseStream (SubscribeToShard's
// event stream, whose per-event faults it picks up through TakeWireFault() and applies from that event on).
//
// The shaping is bytes and time only, so every transport applies it the same way by pulling: HTTP/1.1 from the
// connection's thread (Wait sleeps until the next piece is due), HTTP/2 from its event loop (PollWithin says
// when). Time is the steady clock: what a client's timeouts measure, not the emulator's virtual clock. A stall
// that lasts "until the rule is removed" asks the rule (WireFault::rule_live) at every pull.
//
// Thread-safety: as ResponseStream (one puller at a time).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http/http_types.h"

namespace kemu {

class ShapedStream final : public ResponseStream {
 public:
  using SteadyClock = std::chrono::steady_clock;

  // A whole body, shaped by `fault` from its first byte.
  ShapedStream(std::string body, WireFault fault);
  // Another stream's bytes, shaped by `fault` (which may shape nothing) from the first byte, and by each fault
  // `inner` reports from the bytes it names.
  ShapedStream(std::shared_ptr<ResponseStream> inner, WireFault fault);

  State Pull(std::string& out) override;
  void Wait(std::chrono::milliseconds timeout) override;
  void SetWaker(std::function<void()> waker) override;
  std::chrono::milliseconds PollWithin() const override;

  // Wraps `response`'s body or stream when its wire fault shapes bytes, and always wraps an event stream (whose
  // events may bring faults of their own); sets the framing the transports use. A no-op otherwise.
  static void Apply(HttpResponse& response);

 private:
  // The fault in force and where it started (absolute offsets in the whole answer).
  struct Armed {
    WireFault fault;
    int64_t start = 0;
    int64_t length = 0;
    std::optional<int64_t> reset_at;  // absolute
    std::optional<int64_t> stall_at;  // absolute
    std::optional<SteadyClock::time_point> stall_started;
    bool stall_over = false;
  };
  void Arm(WireFault fault, int64_t start, int64_t length, SteadyClock::time_point now);
  // The earliest time something may change without new bytes from the inner stream (none: never).
  std::optional<SteadyClock::time_point> NextDue(SteadyClock::time_point now) const;
  // True while a stall holds the bytes back.
  bool Stalled(SteadyClock::time_point now);

  std::shared_ptr<ResponseStream> inner_;
  bool inner_ended_ = false;
  State inner_final_ = State::kEnd;  // how the inner stream ended (kEnd, or a reset it asked for)
  std::string pending_;              // taken from the inner stream (or the body), not released yet
  size_t pending_at_ = 0;            // bytes of pending_ already released
  int64_t released_ = 0;             // bytes released so far, in all
  std::optional<Armed> armed_;
  double tokens_ = 0;  // bandwidth: bytes that may go now
  SteadyClock::time_point tokens_at_;
  SteadyClock::time_point next_slice_at_;
  std::optional<SteadyClock::time_point> end_at_;  // slow close: when the end may go
};

}  // namespace kemu
