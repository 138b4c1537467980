// A deliberately small Kinesis client for the example (a real project would use an AWS SDK).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace orders {

struct KinesisReply {
  int status = 0;  // 0: no answer (connection closed)
  nlohmann::json body;
  std::string error_type() const;
  bool retryable() const;  // throttling, 5xx and connection errors: what AWS SDKs retry
};

class KinesisClient {
 public:
  KinesisClient(std::string endpoint, std::string region);
  KinesisReply Call(const std::string& action, const nlohmann::json& request) const;

 private:
  std::string host_;
  int port_ = 0;
  std::string region_;
};

std::string Base64Encode(const std::string& bytes);
std::string Base64Decode(const std::string& text);

}  // namespace orders
