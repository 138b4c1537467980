#include "http/subscription_response.h"

#include "api/api_model.h"
#include "api/event_stream.h"
#include "api/output_encoder.h"
#include "http/error_mapping.h"

namespace kemu {
namespace {

// Bytes one Pull() gathers at most before letting the transport send them.
constexpr size_t kMaxPullBytes = 4 * 1024 * 1024;

}  // namespace

SubscriptionResponse::SubscriptionResponse(std::shared_ptr<actions::Subscription> subscription,
                                           api::WireProtocol protocol)
    : subscription_(std::move(subscription)),
      protocol_(protocol),
      payload_type_(protocol == api::WireProtocol::kCbor ? std::string(api::kCborContentType) : "application/json") {}

SubscriptionResponse::~SubscriptionResponse() {
  if (waker_id_ != 0) subscription_->hub().RemoveWaker(waker_id_);
}

void SubscriptionResponse::SetWaker(std::function<void()> waker) {
  waker_id_ = subscription_->hub().AddWaker(std::move(waker));
}

ResponseStream::State SubscriptionResponse::Pull(std::string& out) {
  const auto& model = api::ApiModel::Kinesis();
  auto encode = [&](const api::Shape& shape, const Json& value) {
    std::string payload;
    api::EncodeOutput(shape, value, protocol_, payload);
    return payload;
  };
  const size_t base = out.size();
  if (!started_) {
    started_ = true;
    // The operation's non-event output members: none for Kinesis.
    api::AppendEventMessage("initial-response", payload_type_,
                            protocol_ == api::WireProtocol::kCbor ? std::string_view("\xa0", 1) : "{}", out);
  }
  while (!ended_ && out.size() < kMaxPullBytes) {
    actions::Subscription::Step step = subscription_->Next();
    switch (step.kind) {
      case actions::Subscription::Step::Kind::kIdle:
        return State::kMore;
      case actions::Subscription::Step::Kind::kEvent: {
        static const api::Shape* event_shape = model.FindShape("SubscribeToShardEvent");
        const size_t before = out.size();
        api::AppendEventMessage("SubscribeToShardEvent", payload_type_, encode(*event_shape, step.event), out);
        if (step.wire.drop || step.wire.shapes()) {
          // The fault applies from this event's message on: the shaper learns where it starts, once.
          wire_fault_ = WireFaultAt{std::move(step.wire), before - base, out.size() - before};
          return State::kMore;
        }
        break;
      }
      case actions::Subscription::Step::Kind::kError: {
        const WireError wire = MapError(step.error);
        static const api::Shape* stream_shape = model.FindShape("SubscribeToShardEventStream");
        const api::Shape::Member* modeled = stream_shape->FindMember(wire.type);
        if (modeled != nullptr) {
          api::AppendExceptionMessage(wire.type, payload_type_,
                                      encode(*modeled->shape, Json{{"message", step.error.message()}}), out);
        } else {
          // Not an exception of the event stream's model (e.g. an injected throttle): an unmodeled error message,
          // which SDKs surface with its code and message.
          api::EncodeEventStreamMessage({{":message-type", "error"},
                                         {":error-code", std::string(wire.type)},
                                         {":error-message", step.error.message()}},
                                        "", out);
        }
        ended_ = true;
        break;
      }
      case actions::Subscription::Step::Kind::kEnd:
        ended_ = true;
        break;
    }
  }
  return ended_ ? State::kEnd : State::kMore;
}

}  // namespace kemu
