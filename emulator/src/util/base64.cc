#include "util/base64.h"

#include <array>
#include <cstdint>
#include <cstring>

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

// Two output characters for every 12-bit value: one lookup per half of a 3-byte group.
struct PairTable {
  char pairs[4096][2];
};
constexpr PairTable MakePairTable() {
  PairTable t{};
  for (int v = 0; v < 4096; ++v) {
    t.pairs[v][0] = kAlphabet[v >> 6];
    t.pairs[v][1] = kAlphabet[v & 63];
  }
  return t;
}
constexpr PairTable kPairs = MakePairTable();

}  // namespace

void Base64EncodeAppend(std::string_view bytes, std::string& out) {
  const size_t start = out.size();
  out.resize(start + (bytes.size() + 2) / 3 * 4);
  char* p = out.data() + start;
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    std::memcpy(p, kPairs.pairs[v >> 12], 2);
    std::memcpy(p + 2, kPairs.pairs[v & 0xfff], 2);
    p += 4;
  }
  if (i + 1 == n) {
    uint32_t v = in[i] << 16;
    *p++ = kAlphabet[(v >> 18) & 63];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = '=';
    *p++ = '=';
  } else if (i + 2 == n) {
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
  const size_t n = text.size();
  size_t pad = 0;
  if (n >= 1 && text[n - 1] == '=') ++pad;
  if (n >= 2 && text[n - 2] == '=') ++pad;
  const auto* in = reinterpret_cast<const uint8_t*>(text.data());
  // Every group but the last has no padding.
  const size_t full = n == 0 ? 0 : n - 4;
  for (size_t i = 0; i < full; i += 4) {
    const int32_t a = kDecode[in[i]], b = kDecode[in[i + 1]], c = kDecode[in[i + 2]], d = kDecode[in[i + 3]];
    if ((a | b | c | d) < 0) return std::nullopt;
    const uint32_t v = (static_cast<uint32_t>(a) << 18) | (static_cast<uint32_t>(b) << 12) |
                       (static_cast<uint32_t>(c) << 6) | static_cast<uint32_t>(d);
    p[0] = static_cast<char>(v >> 16);
    p[1] = static_cast<char>((v >> 8) & 0xff);
    p[2] = static_cast<char>(v & 0xff);
    p += 3;
  }
  if (n != 0) {
    const size_t i = full;
    int32_t a = kDecode[in[i]];
    int32_t b = kDecode[in[i + 1]];
    int32_t c = pad >= 2 ? 0 : kDecode[in[i + 2]];
    int32_t d = pad >= 1 ? 0 : kDecode[in[i + 3]];
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
