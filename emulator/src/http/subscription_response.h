// SubscriptionResponse: a SubscribeToShard Subscription framed as an `application/vnd.amazon.eventstream` body.
//
// The body opens with the `initial-response` event (payload {}), then carries one `SubscribeToShardEvent` message
// per event and, when the subscription fails, one exception message (`:exception-type` = the Kinesis __type,
// payload {"message": ...}; for a type the event stream does not model, an `error` message with `:error-code` and
// `:error-message`) after which it ends. Payloads use the request's protocol: JSON (`:content-type`
// application/json; base64 Data, epoch-seconds timestamps) or CBOR (application/x-amz-cbor-1.1; byte strings,
// epoch-millisecond timestamps). An event that carries an injected wire fault is reported by TakeWireFault(), for
// the ShapedStream the endpoint wraps around this stream.
//
// Thread-safety: as ResponseStream.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "actions/subscription.h"
#include "api/wire_protocol.h"
#include "http/http_types.h"

namespace kemu {

class SubscriptionResponse final : public ResponseStream {
 public:
  static constexpr std::string_view kContentType = "application/vnd.amazon.eventstream";

  SubscriptionResponse(std::shared_ptr<actions::Subscription> subscription, api::WireProtocol protocol);
  ~SubscriptionResponse() override;

  State Pull(std::string& out) override;
  void Wait(std::chrono::milliseconds timeout) override { subscription_->Wait(timeout); }
  void SetWaker(std::function<void()> waker) override;
  std::optional<WireFaultAt> TakeWireFault() override { return std::exchange(wire_fault_, std::nullopt); }

 private:
  std::shared_ptr<actions::Subscription> subscription_;
  api::WireProtocol protocol_;
  std::string payload_type_;
  bool started_ = false;
  bool ended_ = false;
  uint64_t waker_id_ = 0;
  std::optional<WireFaultAt> wire_fault_;  // an event's wire fault, for the ShapedStream around this stream
};

}  // namespace kemu
