// The two wire protocols of the Kinesis API and their content types: JSON 1.1 (boto3, the AWS CLI, the JS SDK, the
// KPL) and CBOR 1.1 (the Java SDK v2 and the KCL).
#pragma once

#include <string_view>

namespace kemu::api {

enum class WireProtocol { kJson, kCbor };

constexpr std::string_view kJsonContentType = "application/x-amz-json-1.1";
constexpr std::string_view kCborContentType = "application/x-amz-cbor-1.1";

constexpr std::string_view ContentTypeOf(WireProtocol protocol) {
  return protocol == WireProtocol::kCbor ? kCborContentType : kJsonContentType;
}

}  // namespace kemu::api
