#include "api/json_writer.h"

#include <charconv>

namespace kemu::api {

void AppendInt(int64_t n, std::string& out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), n);
  out.append(buf, r.ptr);
}

void AppendEpochSeconds(int64_t epoch_ms, std::string& out) {
  if (epoch_ms < 0) {
    out.push_back('-');
    epoch_ms = -epoch_ms;
  }
  AppendInt(epoch_ms / 1000, out);
  int ms = static_cast<int>(epoch_ms % 1000);
  if (ms != 0) {
    char frac[4] = {static_cast<char>('0' + ms / 100), static_cast<char>('0' + ms / 10 % 10),
                    static_cast<char>('0' + ms % 10), 0};
    int len = 3;
    while (len > 1 && frac[len - 1] == '0') --len;
    out.push_back('.');
    out.append(frac, len);
  }
}

void AppendJsonString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run_start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run_start, i - run_start);
    run_start = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
  }
  out.append(s.data() + run_start, s.size() - run_start);
  out.push_back('"');
}

}  // namespace kemu::api
