// Transport-neutral request and response, so the Kinesis protocol logic serves HTTP/1.1 (and later HTTP/2)
// alike.
#pragma once

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kemu {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
      return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
    });
  }
};

struct HttpRequest {
  std::string http_version = "1.1";  // "1.1" or "2"
  std::string method;
  std::string path;
  std::map<std::string, std::string, CaseInsensitiveLess> headers;
  std::map<std::string, std::string> query;
  std::string body;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool HasHeader(const std::string& name) const { return headers.count(name) != 0; }
};

struct HttpResponse {
  int status = 200;
  std::string content_type;  // empty: no Content-Type header
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool drop_connection = false;  // close the connection without answering (fault injection)
};

}  // namespace kemu
