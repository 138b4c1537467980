// Status and Result<T>: errors as values.
//
// Every failure the emulator can report is a Status whose ErrorCode names the Kinesis `__type` it becomes on the
// wire. The mapping from ErrorCode to `__type` and HTTP status lives in one table (error_mapping.cc); nothing else
// decides a status code. A Status may also carry a custom type and status (fault injection's `error` plugin).
//
// Thread-safety: values; safe to copy between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace kemu {

enum class ErrorCode : uint8_t {
  kOk = 0,
  // Modeled Kinesis errors.
  kAccessDenied,
  kExpiredIterator,
  kExpiredNextToken,
  kInternalFailure,  // InternalFailureException (modeled, 500)
  kInvalidArgument,
  kKmsAccessDenied,
  kKmsDisabled,
  kKmsInvalidState,
  kKmsNotFound,
  kKmsOptInRequired,
  kKmsThrottling,
  kLimitExceeded,
  kProvisionedThroughputExceeded,
  kResourceInUse,
  kResourceNotFound,
  kValidation,
  // Protocol-level errors.
  kSerialization,
  kUnknownOperation,
  kMissingAuthenticationToken,
  kIncompleteSignature,
  kInvalidSignature,
  kUnrecognizedClient,
  kAccessDeniedXml,      // non-POST requests: 403 with an XML body
  kUnknownOperationXml,  // unsupported Content-Type: 404 with an XML body
  kServiceUnavailable,
  kThrottling,
  kInternalError,  // unmodeled InternalFailure (500)
  kRequestEntityTooLarge,
  kCustom,  // type and HTTP status given explicitly (fault injection)
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status Custom(std::string type, int http_status, std::string message) {
    Status s(ErrorCode::kCustom, std::move(message));
    s.custom_type_ = std::move(type);
    s.custom_http_status_ = http_status;
    return s;
  }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& custom_type() const { return custom_type_; }
  int custom_http_status() const { return custom_http_status_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string custom_type_;
  int custom_http_status_ = 0;
};

// Either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(value_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  // By value: `for (auto& x : Call().value())` then iterates a live object, not a member of a dead temporary.
  T value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace kemu

#define KEMU_CONCAT_INNER_(a, b) a##b
#define KEMU_CONCAT_(a, b) KEMU_CONCAT_INNER_(a, b)

#define KEMU_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::kemu::Status kemu_status_ = (expr);        \
    if (!kemu_status_.ok()) return kemu_status_; \
  } while (0)

#define KEMU_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()

#define KEMU_ASSIGN_OR_RETURN(lhs, expr) KEMU_ASSIGN_OR_RETURN_IMPL_(KEMU_CONCAT_(kemu_result_, __LINE__), lhs, expr)
