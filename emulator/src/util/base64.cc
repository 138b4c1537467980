#include "util/base64.h"

#include <array>
#include <cstdint>

namespace kemu {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int8_t, 256> MakeDecodeTable() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr std::array<int8_t, 256> kDecode = MakeDecodeTable();

}  // namespace

void Base64EncodeAppend(std::string_view bytes, std::string& out) {
  const size_t start = out.size();
  out.resize(start + (bytes.size() + 2) / 3 * 4);
  char* p = out.data() + start;
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
    *p++ = kAlphabet[(v >> 18) & 63];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = kAlphabet[(v >> 6) & 63];
    *p++ = kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t v = in[i] << 16;
    *p++ = kAlphabet[(v >> 18) & 63];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = '=';
    *p++ = '=';
  } else if (i + 2 == bytes.size()) {
    uint32_t v = (in[i] << 16) | (in[i + 1] << 8);
    *p++ = kAlphabet[(v >> 18) & 63];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = kAlphabet[(v >> 6) & 63];
    *p++ = '=';
  }
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  Base64EncodeAppend(bytes, out);
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.resize(text.size() / 4 * 3);
  char* p = out.data();
  size_t n = text.size();
  size_t pad = 0;
  if (n >= 1 && text[n - 1] == '=') ++pad;
  if (n >= 2 && text[n - 2] == '=') ++pad;
  for (size_t i = 0; i < n; i += 4) {
    const bool last = i + 4 == n;
    int32_t a = kDecode[static_cast<uint8_t>(text[i])];
    int32_t b = kDecode[static_cast<uint8_t>(text[i + 1])];
    int32_t c = (last && pad >= 2) ? 0 : kDecode[static_cast<uint8_t>(text[i + 2])];
    int32_t d = (last && pad >= 1) ? 0 : kDecode[static_cast<uint8_t>(text[i + 3])];
    if ((a | b | c | d) < 0) return std::nullopt;
    uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    *p++ = static_cast<char>(v >> 16);
    *p++ = static_cast<char>((v >> 8) & 0xff);
    *p++ = static_cast<char>(v & 0xff);
  }
  out.resize(out.size() - pad);
  return out;
}

}  // namespace kemu
