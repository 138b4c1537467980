#include "http/error_mapping.h"

namespace kemu {

WireError MapError(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kOk:
      return {"", 200};
    case ErrorCode::kAccessDenied:
      return {"AccessDeniedException", 400};
    case ErrorCode::kExpiredIterator:
      return {"ExpiredIteratorException", 400};
    case ErrorCode::kExpiredNextToken:
      return {"ExpiredNextTokenException", 400};
    case ErrorCode::kInternalFailure:
      return {"InternalFailureException", 500};
    case ErrorCode::kInvalidArgument:
      return {"InvalidArgumentException", 400};
    case ErrorCode::kKmsAccessDenied:
      return {"KMSAccessDeniedException", 400};
    case ErrorCode::kKmsDisabled:
      return {"KMSDisabledException", 400};
    case ErrorCode::kKmsInvalidState:
      return {"KMSInvalidStateException", 400};
    case ErrorCode::kKmsNotFound:
      return {"KMSNotFoundException", 400};
    case ErrorCode::kKmsOptInRequired:
      return {"KMSOptInRequired", 400};
    case ErrorCode::kKmsThrottling:
      return {"KMSThrottlingException", 400};
    case ErrorCode::kLimitExceeded:
      return {"LimitExceededException", 400};
    case ErrorCode::kProvisionedThroughputExceeded:
      return {"ProvisionedThroughputExceededException", 400};
    case ErrorCode::kResourceInUse:
      return {"ResourceInUseException", 400};
    case ErrorCode::kResourceNotFound:
      return {"ResourceNotFoundException", 400};
    case ErrorCode::kValidation:
      return {"ValidationException", 400};
    case ErrorCode::kSerialization:
      return {"SerializationException", 400};
    case ErrorCode::kUnknownOperation:
      return {"UnknownOperationException", 400};
    case ErrorCode::kMissingAuthenticationToken:
      return {"MissingAuthenticationTokenException", 400};
    case ErrorCode::kIncompleteSignature:
      return {"IncompleteSignatureException", 400};
    case ErrorCode::kInvalidSignature:
      return {"InvalidSignatureException", 400};
    case ErrorCode::kUnrecognizedClient:
      return {"UnrecognizedClientException", 400};
    case ErrorCode::kAccessDeniedXml:
      return {"AccessDeniedException", 403};
    case ErrorCode::kUnknownOperationXml:
      return {"UnknownOperationException", 404};
    case ErrorCode::kServiceUnavailable:
      return {"ServiceUnavailable", 503};
    case ErrorCode::kThrottling:
      return {"ThrottlingException", 400};
    case ErrorCode::kInternalError:
      return {"InternalFailure", 500};
    case ErrorCode::kRequestEntityTooLarge:
      return {"SerializationException", 413};
    case ErrorCode::kCustom:
      return {status.custom_type(), status.custom_http_status()};
  }
  return {"InternalFailure", 500};
}

}  // namespace kemu
