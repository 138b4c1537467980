#include "util/base64.h"

#include <array>
#include <bit>
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

// kDecode shifted into place for each of the four characters of a group; a character outside the alphabet
// sets bit 31, which no valid group can set (its value has 24 bits).
constexpr std::array<uint32_t, 256> MakeShiftedTable(int shift) {
  std::array<uint32_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = kDecode[c] < 0 ? 0x80000000u : static_cast<uint32_t>(kDecode[c]) << shift;
  return t;
}
constexpr std::array<uint32_t, 256> kDecode18 = MakeShiftedTable(18), kDecode12 = MakeShiftedTable(12),
                                    kDecode6 = MakeShiftedTable(6), kDecode0 = MakeShiftedTable(0);

// Two output characters for every 12-bit value, as the 16 bits they occupy in memory (little-endian: the
// first character in the low byte). One lookup per half of a 3-byte group.
constexpr std::array<uint16_t, 4096> MakePairTable() {
  std::array<uint16_t, 4096> t{};
  for (int v = 0; v < 4096; ++v) {
    t[v] = static_cast<uint16_t>(static_cast<uint8_t>(kAlphabet[v >> 6]) |
                                 (static_cast<uint8_t>(kAlphabet[v & 63]) << 8));
  }
  return t;
}
constexpr std::array<uint16_t, 4096> kPairs = MakePairTable();

}  // namespace

void Base64EncodeAppend(std::string_view bytes, std::string& out) {
  const size_t start = out.size();
  out.resize(start + (bytes.size() + 2) / 3 * 4);
  char* p = out.data() + start;
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    // Six bytes in, eight characters out, one 8-byte store (reading 8 bytes, so stop 2 before the end).
    for (; i + 8 <= n; i += 6) {
      uint64_t w;
      std::memcpy(&w, in + i, 8);
      w = __builtin_bswap64(w);  // the six bytes now sit in bits 63..16, first byte highest
      const uint64_t out8 = uint64_t{kPairs[(w >> 52) & 0xfff]} | (uint64_t{kPairs[(w >> 40) & 0xfff]} << 16) |
                            (uint64_t{kPairs[(w >> 28) & 0xfff]} << 32) | (uint64_t{kPairs[(w >> 16) & 0xfff]} << 48);
      std::memcpy(p, &out8, 8);
      p += 8;
    }
  }
  for (; i + 3 <= n; i += 3) {
    const uint32_t v = (uint32_t{in[i]} << 16) | (uint32_t{in[i + 1]} << 8) | in[i + 2];
    const uint32_t out4 = uint32_t{kPairs[v >> 12]} | (uint32_t{kPairs[v & 0xfff]} << 16);
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(p, &out4, 4);
    } else {
      p[0] = static_cast<char>(out4 & 0xff);
      p[1] = static_cast<char>((out4 >> 8) & 0xff);
      p[2] = static_cast<char>((out4 >> 16) & 0xff);
      p[3] = static_cast<char>(out4 >> 24);
    }
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
    const uint32_t v = kDecode18[in[i]] | kDecode12[in[i + 1]] | kDecode6[in[i + 2]] | kDecode0[in[i + 3]];
    if (v & 0x80000000u) return std::nullopt;
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
