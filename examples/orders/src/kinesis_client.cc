#include "kinesis_client.h"

#include <httplib.h>
#include <openssl/evp.h>

namespace orders {

std::string KinesisReply::error_type() const {
  return body.is_object() && body.contains("__type") ? body["__type"].get<std::string>() : "";
}

bool KinesisReply::retryable() const {
  const std::string t = error_type();
  return status == 0 || status >= 500 || t == "ProvisionedThroughputExceededException" || t == "ThrottlingException" ||
         t == "LimitExceededException";
}

KinesisClient::KinesisClient(std::string endpoint, std::string region) : region_(std::move(region)) {
  if (endpoint.rfind("http://", 0) == 0) endpoint = endpoint.substr(7);
  size_t colon = endpoint.rfind(':');
  host_ = endpoint.substr(0, colon);
  port_ = std::stoi(endpoint.substr(colon + 1));
}

KinesisReply KinesisClient::Call(const std::string& action, const nlohmann::json& request) const {
  httplib::Client client(host_, port_);
  httplib::Headers headers = {
      {"X-Amz-Target", "Kinesis_20131202." + action},
      {"X-Amz-Date", "20260101T000000Z"},
      {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/" + region_ +
                            "/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=00"}};
  auto r = client.Post("/", headers, request.dump(), "application/x-amz-json-1.1");
  KinesisReply reply;
  if (!r) return reply;
  reply.status = r->status;
  reply.body = r->body.empty() ? nlohmann::json::object() : nlohmann::json::parse(r->body, nullptr, false);
  return reply;
}

std::string Base64Encode(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(n);
  return out;
}

std::string Base64Decode(const std::string& text) {
  std::string out(3 * (text.size() / 4) + 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  size_t pad = (text.size() >= 1 && text.back() == '=') + (text.size() >= 2 && text[text.size() - 2] == '=');
  out.resize(n < 0 ? 0 : n - pad);
  return out;
}

}  // namespace orders
