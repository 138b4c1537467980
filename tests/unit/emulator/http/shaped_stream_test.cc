// ShapedStream: each wire fault's shaping of a body and of an event stream, pulled as the transports pull it.
#include "http/shaped_stream.h"

#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <thread>

namespace kemu {
namespace {

using namespace std::chrono_literals;
using State = ResponseStream::State;
using Clock = std::chrono::steady_clock;

// What a transport sees when it pulls until the end (or a reset), waiting as the stream asks.
struct Pulled {
  std::string bytes;
  std::vector<size_t> pieces;  // sizes of the non-empty pulls
  State last = State::kMore;
  std::chrono::milliseconds took{0};
};

Pulled PullAll(ResponseStream& stream, std::chrono::milliseconds limit = 5s) {
  Pulled p;
  const auto start = Clock::now();
  while (Clock::now() - start < limit) {
    std::string out;
    p.last = stream.Pull(out);
    if (!out.empty()) {
      p.bytes += out;
      p.pieces.push_back(out.size());
    }
    if (p.last != State::kMore) break;
    if (out.empty()) stream.Wait(stream.PollWithin());
  }
  p.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return p;
}

std::string Body(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + i % 26);
  return s;
}

TEST(ShapedStreamTest, NoFaultPassesTheBodyAtOnce) {
  ShapedStream s(Body(1000), WireFault{});
  const Pulled p = PullAll(s);
  EXPECT_EQ(p.bytes, Body(1000));
  EXPECT_EQ(p.pieces, std::vector<size_t>{1000});
  EXPECT_EQ(p.last, State::kEnd);
}

TEST(ShapedStreamTest, SlicerWritesPiecesWithTheDelayBetween) {
  WireFault f;
  f.slice_bytes = 100;
  f.slice_delay = 10ms;
  ShapedStream s(Body(1050), f);
  const Pulled p = PullAll(s);
  EXPECT_EQ(p.bytes, Body(1050));
  EXPECT_EQ(p.last, State::kEnd);
  ASSERT_EQ(p.pieces.size(), 11u);
  for (size_t i = 0; i < 10; ++i) EXPECT_EQ(p.pieces[i], 100u);
  EXPECT_EQ(p.pieces[10], 50u);
  EXPECT_GE(p.took, 100ms);  // ten pauses between eleven pieces
  // Between two slices a pull gives nothing, and says when to come back.
  ShapedStream t(Body(300), f);
  std::string out;
  EXPECT_EQ(t.Pull(out), State::kMore);
  EXPECT_EQ(out.size(), 100u);
  out.clear();
  EXPECT_EQ(t.Pull(out), State::kMore);
  EXPECT_TRUE(out.empty());
  EXPECT_LE(t.PollWithin(), 10ms);
  EXPECT_GE(t.PollWithin(), 1ms);
}

TEST(ShapedStreamTest, BandwidthCapsTheRate) {
  WireFault f;
  f.bytes_per_second = 20000;
  ShapedStream s(Body(4000), f);
  const Pulled p = PullAll(s);
  EXPECT_EQ(p.bytes, Body(4000));
  EXPECT_EQ(p.last, State::kEnd);
  EXPECT_GE(p.took, 180ms);  // 4,000 bytes at 20,000/s: 200 ms, less one burst
  EXPECT_GT(p.pieces.size(), 5u);
  for (size_t piece : p.pieces) EXPECT_LE(piece, 401u);  // no burst beyond 20 ms worth
}

TEST(ShapedStreamTest, ResetMidBodyAfterTheOffset) {
  WireFault f;
  f.reset_at_bytes = 300;
  ShapedStream s(Body(1000), f);
  const Pulled p = PullAll(s);
  EXPECT_EQ(p.bytes, Body(300));
  EXPECT_EQ(p.last, State::kReset);

  WireFault half;
  half.reset_at_bytes = WireFault::kHalf;
  half.reset_whole_connection = true;
  ShapedStream h(Body(1000), half);
  const Pulled q = PullAll(h);
  EXPECT_EQ(q.bytes, Body(500));
  EXPECT_EQ(q.last, State::kResetConnection);

  // Past the end of a body: the last byte is kept back, or the client would have the whole answer.
  WireFault late;
  late.reset_at_bytes = 5000;
  ShapedStream l(Body(1000), late);
  const Pulled r = PullAll(l);
  EXPECT_EQ(r.bytes, Body(999));
  EXPECT_EQ(r.last, State::kReset);
}

TEST(ShapedStreamTest, StallForADurationThenTheRest) {
  WireFault f;
  f.stall_at_bytes = 200;
  f.stall_for = 150ms;
  ShapedStream s(Body(600), f);
  std::string out;
  EXPECT_EQ(s.Pull(out), State::kMore);
  EXPECT_EQ(out, Body(200));
  const Pulled p = PullAll(s);
  EXPECT_EQ(Body(200) + p.bytes, Body(600));
  EXPECT_EQ(p.last, State::kEnd);
  EXPECT_GE(p.took, 140ms);
}

TEST(ShapedStreamTest, StallUntilTheRuleIsGone) {
  auto live = std::make_shared<std::atomic<bool>>(true);
  WireFault f;
  f.stall_at_bytes = WireFault::kHalf;
  f.rule_live = [live] { return live->load(); };
  ShapedStream s(Body(100), f);
  std::string out;
  EXPECT_EQ(s.Pull(out), State::kMore);
  EXPECT_EQ(out, Body(50));
  for (int i = 0; i < 3; ++i) {  // held however often it is pulled
    out.clear();
    EXPECT_EQ(s.Pull(out), State::kMore);
    EXPECT_TRUE(out.empty());
  }
  live->store(false);
  out.clear();
  EXPECT_EQ(s.Pull(out), State::kEnd);
  EXPECT_EQ(out, Body(100).substr(50));
}

TEST(ShapedStreamTest, SlowCloseHoldsTheEndBack) {
  WireFault f;
  f.close_delay = 120ms;
  ShapedStream s(Body(10), f);
  std::string out;
  EXPECT_EQ(s.Pull(out), State::kMore);  // every byte, but not the end
  EXPECT_EQ(out, Body(10));
  const Pulled p = PullAll(s);
  EXPECT_TRUE(p.bytes.empty());
  EXPECT_EQ(p.last, State::kEnd);
  EXPECT_GE(p.took, 110ms);
}

TEST(ShapedStreamTest, ApplySetsTheFraming) {
  HttpResponse plain;
  plain.body = "abc";
  ShapedStream::Apply(plain);
  EXPECT_EQ(plain.stream, nullptr);  // nothing to shape: the body stays as it is
  EXPECT_EQ(plain.body, "abc");

  HttpResponse sliced;
  sliced.body = Body(64);
  sliced.wire.slice_bytes = 8;
  ShapedStream::Apply(sliced);
  ASSERT_NE(sliced.stream, nullptr);
  EXPECT_EQ(sliced.stream_length, 64u);
  EXPECT_FALSE(sliced.stream_ends_connection);
  EXPECT_TRUE(sliced.body.empty());

  HttpResponse slow;
  slow.body = Body(64);
  slow.wire.close_delay = 10ms;
  ShapedStream::Apply(slow);
  ASSERT_NE(slow.stream, nullptr);
  EXPECT_FALSE(slow.stream_length.has_value());
  EXPECT_TRUE(slow.stream_ends_connection);
}

// An event stream whose messages are queued by the test, each optionally with a wire fault.
class FakeEvents final : public ResponseStream {
 public:
  void Add(std::string message, WireFault fault = {}) { queue_.push_back({std::move(message), std::move(fault)}); }
  void End() { ended_ = true; }
  State Pull(std::string& out) override {
    ++pulls;
    // Like SubscriptionResponse: several messages per pull, stopping after one that carries a fault.
    const size_t base = out.size();
    while (!queue_.empty()) {
      auto [message, fault] = std::move(queue_.front());
      queue_.pop_front();
      const size_t at = out.size();
      out += message;
      if (fault.drop || fault.shapes()) {
        taken_ = WireFaultAt{std::move(fault), at - base, message.size()};
        return State::kMore;
      }
    }
    return ended_ ? State::kEnd : State::kMore;
  }
  void Wait(std::chrono::milliseconds timeout) override { std::this_thread::sleep_for(std::min(timeout, 5ms)); }
  void SetWaker(std::function<void()>) override {}
  std::optional<WireFaultAt> TakeWireFault() override { return std::exchange(taken_, std::nullopt); }
  int pulls = 0;

 private:
  std::deque<std::pair<std::string, WireFault>> queue_;
  std::optional<WireFaultAt> taken_;
  bool ended_ = false;
};

TEST(ShapedStreamTest, AnEventsFaultAppliesFromThatEventOn) {
  auto events = std::make_shared<FakeEvents>();
  WireFault reset;
  reset.reset_at_bytes = WireFault::kHalf;
  events->Add("first-event;");
  events->Add("second-event;");
  events->Add("third-event-cut-here;", reset);
  events->Add("never-sent;");
  ShapedStream s(events, WireFault{});
  const Pulled p = PullAll(s);
  EXPECT_EQ(p.bytes, "first-event;second-event;third-even");  // half of the third message's 21 bytes
  EXPECT_EQ(p.last, State::kReset);
}

TEST(ShapedStreamTest, ADroppedEventResetsBeforeItsBytes) {
  auto events = std::make_shared<FakeEvents>();
  WireFault drop;
  drop.drop = true;
  events->Add("kept;");
  events->Add("dropped;", drop);
  ShapedStream s(events, WireFault{});
  const Pulled p = PullAll(s);
  EXPECT_EQ(p.bytes, "kept;");
  EXPECT_EQ(p.last, State::kReset);
}

TEST(ShapedStreamTest, AnEventStreamStaysSlicedAfterTheEvent) {
  auto events = std::make_shared<FakeEvents>();
  WireFault slices;
  slices.slice_bytes = 4;
  events->Add("whole;");
  events->Add("abcdefgh", slices);
  events->Add("ijkl");
  events->End();
  ShapedStream s(events, WireFault{});
  const Pulled p = PullAll(s);
  EXPECT_EQ(p.bytes, "whole;abcdefghijkl");
  EXPECT_EQ(p.last, State::kEnd);
  EXPECT_EQ(p.pieces, (std::vector<size_t>{6, 4, 4, 4}));
}

TEST(ShapedStreamTest, ASlowFaultHoldsTheProducerBack) {
  auto events = std::make_shared<FakeEvents>();
  WireFault slices;
  slices.slice_bytes = 2;
  slices.slice_delay = std::chrono::milliseconds(1000);
  events->Add("abcdef", slices);
  ShapedStream s(events, WireFault{});
  std::string out;
  s.Pull(out);
  EXPECT_EQ(out, "ab");
  for (int i = 0; i < 5; ++i) events->Add("more-events;");
  for (int i = 0; i < 3; ++i) s.Pull(out);
  EXPECT_EQ(out, "ab");
  // Four bytes of the sliced event are still to go: the producer was not asked for more.
  EXPECT_EQ(events->pulls, 1);
}

TEST(ShapedStreamTest, AStreamsEndComesLateUnderSlowClose) {
  auto events = std::make_shared<FakeEvents>();
  WireFault slow;
  slow.close_delay = 100ms;
  events->Add("event;", slow);
  events->End();
  ShapedStream s(events, WireFault{});
  const Pulled p = PullAll(s);
  EXPECT_EQ(p.bytes, "event;");
  EXPECT_EQ(p.last, State::kEnd);
  EXPECT_GE(p.took, 90ms);
}

}  // namespace
}  // namespace kemu
