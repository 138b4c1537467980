#include "http/kinesis_endpoint.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <thread>

#include "actions/action_table.h"
#include "actions/call.h"
#include "actions/common.h"
#include "actions/subscription.h"
#include "api/api_model.h"
#include "api/cbor_encoder.h"
#include "api/input_decoder.h"
#include "api/json_writer.h"
#include "api/output_encoder.h"
#include "http/auth.h"
#include "http/error_mapping.h"
#include "http/shaped_stream.h"
#include "http/subscription_response.h"
#include "util/base64.h"
#include "util/log.h"

namespace kemu {
namespace {

using api::kCborContentType;
using api::kJsonContentType;

std::string NormalizedContentType(std::string value) {
  size_t semi = value.find(';');
  if (semi != std::string::npos) value.resize(semi);
  size_t b = value.find_first_not_of(" \t");
  size_t e = value.find_last_not_of(" \t");
  if (b == std::string::npos) return "";
  value = value.substr(b, e - b + 1);
  for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return value;
}

// The Date header value; each thread formats it once per second.
const std::string& HttpDate() {
  thread_local std::time_t formatted_at = -1;
  thread_local std::string value;
  const std::time_t t = std::time(nullptr);
  if (t != formatted_at) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof(buf), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    value = buf;
    formatted_at = t;
  }
  return value;
}

// Appends `digits` lowercase hex digits of v.
void AppendHex(uint64_t v, int digits, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out.push_back(kHex[(v >> (4 * i)) & 0xf]);
}

// The legacy content type AWS still recognises, only to refuse it in its old Coral envelope.
constexpr std::string_view kLegacyJsonContentType = "application/json";

// What a browser may read of an answer to a cross-origin call (AWS's list, as recorded by kinesalite).
constexpr std::string_view kCorsExposedHeaders =
    "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date";
// Seconds a browser may cache a preflight answer (AWS's value).
constexpr std::string_view kCorsMaxAgeSeconds = "172800";

std::string XmlMessageError(const char* type, const char* message) {
  return std::string("<") + type + ">\n  <Message>" + message + "</Message>\n</" + type + ">\n";
}

// X-Amz-Target split as AWS splits it, at the first '.': "Kinesis_20131202.ListStreams" has both parts,
// "Kinesis_20131202." and "Whatever" lack the operation.
bool TargetHasServiceAndOperation(std::string_view target) {
  const size_t dot = target.find('.');
  if (dot == std::string_view::npos || dot == 0) return false;
  const std::string_view rest = target.substr(dot + 1);
  return !rest.substr(0, rest.find('.')).empty();
}

}  // namespace

KinesisEndpoint::KinesisEndpoint(Backend& backend, const ServerOptions& options, Random& random, FaultEngine& faults,
                                 CallJournal& journal, ThroughputLimiter* limiter)
    : env_{backend, options, limiter, faults}, options_(options), random_(random), journal_(journal) {}

void KinesisEndpoint::AddCommonHeaders(HttpResponse& response) {
  AddRequestId(response);
  std::string id2_raw(72, '\0');
  for (size_t i = 0; i < id2_raw.size(); i += 8) {
    uint64_t r = random_.Next();
    for (size_t j = 0; j < 8; ++j) id2_raw[i + j] = static_cast<char>((r >> (8 * j)) & 0xff);
  }
  response.headers.emplace_back("x-amz-id-2", Base64Encode(id2_raw));
  response.headers.emplace_back("Date", HttpDate());
}

void KinesisEndpoint::AddRequestId(HttpResponse& response) {
  const uint64_t a = random_.Next(), b = random_.Next();
  // 8-4-4-4-12 hex digits, as AWS request ids look.
  std::string request_id;
  request_id.reserve(36);
  AppendHex(a >> 32, 8, request_id);
  request_id += '-';
  AppendHex(a >> 16, 4, request_id);
  request_id += '-';
  AppendHex(a, 4, request_id);
  request_id += '-';
  AppendHex(b >> 48, 4, request_id);
  request_id += '-';
  AppendHex(b, 12, request_id);
  response.headers.emplace_back("x-amzn-RequestId", request_id);
}

HttpResponse KinesisEndpoint::XmlError(int status, const std::string& body) {
  HttpResponse r;
  r.status = status;
  r.body = body;  // no Content-Type, as AWS sends these
  AddCommonHeaders(r);
  return r;
}

HttpResponse KinesisEndpoint::LegacyJsonError(int status, std::string_view type) {
  HttpResponse r;
  r.status = status;
  r.content_type = std::string(kLegacyJsonContentType);
  r.body = "{\"Output\":{\"__type\":";
  api::AppendJsonString("com.amazon.coral.service#" + std::string(type), r.body);
  r.body += "},\"Version\":\"1.0\"}";
  AddCommonHeaders(r);
  return r;
}

HttpResponse KinesisEndpoint::CorsPreflight(const HttpRequest& request) {
  HttpResponse r;
  r.status = 200;
  // Headers and method are granted as asked; AWS sends no x-amz-id-2 here.
  if (request.HasHeader("Access-Control-Request-Headers")) {
    r.headers.emplace_back("Access-Control-Allow-Headers", request.Header("Access-Control-Request-Headers"));
  }
  if (request.HasHeader("Access-Control-Request-Method")) {
    r.headers.emplace_back("Access-Control-Allow-Methods", request.Header("Access-Control-Request-Method"));
  }
  r.headers.emplace_back("Access-Control-Max-Age", std::string(kCorsMaxAgeSeconds));
  AddRequestId(r);
  r.headers.emplace_back("Date", HttpDate());
  return r;
}

HttpResponse KinesisEndpoint::ErrorResponse(const Status& status, const std::string& content_type) {
  WireError wire = MapError(status);
  HttpResponse r;
  r.status = wire.http_status;
  r.content_type = content_type;
  // SerializationException spells its member with a capital M, as Coral does.
  const char* message_key = status.code() == ErrorCode::kSerialization ? "Message" : "message";
  if (content_type == kCborContentType) {
    r.body = api::CborError(wire.type, message_key, status.message());
  } else {
    r.body = "{\"__type\":";
    api::AppendJsonString(wire.type, r.body);
    if (!status.message().empty()) {
      r.body += std::string(",\"") + message_key + "\":";
      api::AppendJsonString(status.message(), r.body);
    }
    r.body += "}";
  }
  r.headers.emplace_back("x-amzn-ErrorType", std::string(wire.type));
  AddCommonHeaders(r);
  return r;
}

HttpResponse KinesisEndpoint::Handle(const HttpRequest& request) {
  // A browser's cross-origin call: AWS answers the preflight itself and lets the page read every answer.
  const bool cross_origin = request.HasHeader("Origin");
  if (cross_origin && request.method == "OPTIONS") {
    HttpResponse preflight = CorsPreflight(request);
    preflight.headers.emplace_back("Access-Control-Allow-Origin", "*");
    return preflight;
  }
  CallRecord call;
  call.http_version = request.http_version;
  HttpResponse response;
  // The one place third-party exceptions (std::bad_alloc, a JSON library's type_error) are caught: a request that
  // trips one is answered InternalFailure, as AWS answers its own faults, and the process serves on.
  try {
    response = Dispatch(request, call);
  } catch (const std::exception& e) {
    Log(LogLevel::kError, std::string("internal failure on ") +
                              (call.operation.empty() ? "a request" : call.operation) + ": " + e.what());
    const std::string content_type = NormalizedContentType(request.Header("Content-Type")) == kCborContentType
                                         ? std::string(kCborContentType)
                                         : std::string(kJsonContentType);
    response = ErrorResponse(Status(ErrorCode::kInternalError, ""), content_type);
  }
  if (cross_origin && !response.wire.drop) {
    response.headers.emplace_back("Access-Control-Allow-Origin", "*");
    response.headers.emplace_back("Access-Control-Expose-Headers", std::string(kCorsExposedHeaders));
  }
  if (!call.operation.empty()) {
    call.time_ms = env_.backend.clock().NowMillis();
    call.status = response.wire.drop ? 0 : response.status;
    if (response.status != 200 && !response.wire.drop) {
      for (const auto& [k, v] : response.headers) {
        if (k == "x-amzn-ErrorType") call.error = v;
      }
    }
    journal_.Add(std::move(call));
  }
  return response;
}

HttpResponse KinesisEndpoint::Dispatch(const HttpRequest& request, CallRecord& call) {
  const auto started = std::chrono::steady_clock::now();
  const std::string target = request.Header("X-Amz-Target");

  // 1. Only POST names an operation.
  if (request.method != "POST") {
    return HasAuthentication(request)
               ? XmlError(403, XmlMessageError("AccessDeniedException",
                                               "Unable to determine service/operation name to be authorized"))
               : XmlError(403, XmlMessageError("MissingAuthenticationTokenException", "Missing Authentication Token"));
  }
  // The operation X-Amz-Target names: Kinesis_20131202.<Operation>, implemented here.
  const auto& model = api::ApiModel::Kinesis();
  const std::string prefix = model.target_prefix() + ".";
  const api::Operation* op = nullptr;
  const actions::ActionEntry* action = nullptr;
  if (target.rfind(prefix, 0) == 0) {
    const std::string name = target.substr(prefix.size());
    op = model.FindOperation(name);
    action = actions::FindAction(name);
  }
  const bool known_operation = op != nullptr && action != nullptr;
  const std::string content_type = NormalizedContentType(request.Header("Content-Type"));
  // 2. No body: AWS answers in JSON 1.1 when asked in it, in CBOR otherwise (whatever the content type, none
  // included), before it looks at anything else.
  if (request.body.empty()) {
    if (known_operation && (content_type == kJsonContentType || content_type == kCborContentType)) {
      call.operation = std::string(action->name);
    }
    const ErrorCode code = known_operation ? ErrorCode::kSerialization : ErrorCode::kUnknownOperation;
    return ErrorResponse(Status(code, ""),
                         std::string(content_type == kJsonContentType ? kJsonContentType : kCborContentType));
  }
  // 3. The content type selects the protocol; any other gets AWS's XML answers, the legacy application/json its
  // old Coral envelope.
  if (content_type == kLegacyJsonContentType) {
    const auto legacy = api::ParseBody(request.body, api::WireProtocol::kJson);
    return legacy && legacy->is_object() ? LegacyJsonError(404, "UnknownOperationException")
                                         : LegacyJsonError(400, "SerializationException");
  }
  if (content_type != kJsonContentType && content_type != kCborContentType) {
    if (!TargetHasServiceAndOperation(target)) {
      return XmlError(
          403, XmlMessageError("AccessDeniedException", "Unable to determine service/operation name to be authorized"));
    }
    return XmlError(404, "<UnknownOperationException/>\n");
  }
  // The answer uses the request's protocol.
  const std::string response_type = content_type;
  const api::WireProtocol protocol =
      content_type == kCborContentType ? api::WireProtocol::kCbor : api::WireProtocol::kJson;
  if (known_operation) call.operation = std::string(action->name);
  // 4. Body syntax: one JSON object (CBOR map).
  auto parsed = api::ParseBody(request.body, protocol);
  if (!parsed || !parsed->is_object()) return ErrorResponse(Status(ErrorCode::kSerialization, ""), response_type);
  Json body = std::move(*parsed);
  // 5. Target.
  if (!known_operation) return ErrorResponse(Status(ErrorCode::kUnknownOperation, ""), response_type);
  // 6. Authentication (presence and shape).
  auto identity = Authenticate(request, options_);
  if (!identity.ok()) return ErrorResponse(identity.status(), response_type);
  // 7. Types and model constraints.
  auto input = api::DecodeInput(*op->input, body, protocol);
  if (!input.ok()) return ErrorResponse(input.status(), response_type);
  // 8. The call: its target, the fault rules and the action (actions/call.h).
  actions::CallOutcome outcome = actions::RunCall(*action, identity.value(), input.value(), env_, call);
  HttpResponse r;
  if (outcome.wire.drop) {
    r.wire = outcome.wire;
    return r;
  }
  Result<Json>& output = outcome.output;
  if (!output.ok()) {
    r = ErrorResponse(output.status(), response_type);
  } else if (outcome.subscription != nullptr) {
    r.content_type = std::string(SubscriptionResponse::kContentType);
    r.stream = std::make_shared<SubscriptionResponse>(std::move(outcome.subscription), protocol);
    AddCommonHeaders(r);
  } else {
    r.content_type = response_type;
    if (op->output != nullptr) api::EncodeOutput(*op->output, output.value(), protocol, r.body);
    AddCommonHeaders(r);
  }
  r.wire = outcome.wire;
  ShapedStream::Apply(r);  // a wire fault's pace, stall or reset; an event stream's per-event faults
  if (LogEnabled(LogLevel::kDebug)) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    Log(LogLevel::kDebug,
        std::string(action->name) + " " + std::to_string(r.status) + " " + std::to_string(us.count()) + "us");
  }
  return r;
}

}  // namespace kemu
