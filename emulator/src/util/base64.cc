#include "util/base64.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define KEMU_BASE64_AVX2 1
#endif

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
    t[v] =
        static_cast<uint16_t>(static_cast<uint8_t>(kAlphabet[v >> 6]) | (static_cast<uint8_t>(kAlphabet[v & 63]) << 8));
  }
  return t;
}
constexpr std::array<uint16_t, 4096> kPairs = MakePairTable();

#ifdef KEMU_BASE64_AVX2
// 24 bytes in, 32 characters out per step (Muła and Lemire, "Faster Base64 Encoding and Decoding Using AVX2
// Instructions", 2018): each 128-bit lane takes 12 bytes, spreads every 3-byte group over 4 bytes, cuts the four
// 6-bit values out with two multiplies, and maps them to the alphabet with one table lookup. Reads 4 bytes past
// each 24-byte block, so it stops 28 bytes before the end; returns how many input bytes it consumed.
__attribute__((target("avx2"))) size_t EncodeBlocksAvx2(const uint8_t* in, size_t n, char* out) {
  const __m256i shuffle = _mm256_setr_epi8(1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10,  //
                                           1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10);
  const __m256i offsets = _mm256_setr_epi8(65, 71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 0, 0,  //
                                           65, 71, -4, -4, -4, -4, -4, -4, -4, -4, -4, -4, -19, -16, 0, 0);
  size_t i = 0;
  for (; i + 28 <= n; i += 24) {
    const __m256i raw =
        _mm256_inserti128_si256(_mm256_castsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i))),
                                _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + i + 12)), 1);
    const __m256i spread = _mm256_shuffle_epi8(raw, shuffle);
    const __m256i hi =
        _mm256_mulhi_epu16(_mm256_and_si256(spread, _mm256_set1_epi32(0x0fc0fc00)), _mm256_set1_epi32(0x04000040));
    const __m256i lo =
        _mm256_mullo_epi16(_mm256_and_si256(spread, _mm256_set1_epi32(0x003f03f0)), _mm256_set1_epi32(0x01000010));
    const __m256i values = _mm256_or_si256(hi, lo);  // one 6-bit value per byte, in output order
    // Table index: 0 for A-Z, 1 for a-z, 2..11 for digits, 12 for '+', 13 for '/'.
    __m256i index = _mm256_subs_epu8(values, _mm256_set1_epi8(51));
    index = _mm256_sub_epi8(index, _mm256_cmpgt_epi8(values, _mm256_set1_epi8(25)));
    const __m256i chars = _mm256_add_epi8(values, _mm256_shuffle_epi8(offsets, index));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i / 3 * 4), chars);
  }
  return i;
}

bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2");
  return has;
}
#endif

}  // namespace

void Base64EncodeAppend(std::string_view bytes, std::string& out) {
  const size_t start = out.size();
  out.resize(start + (bytes.size() + 2) / 3 * 4);
  char* p = out.data() + start;
  const auto* in = reinterpret_cast<const uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  size_t i = 0;
#ifdef KEMU_BASE64_AVX2
  if (n >= 28 && HasAvx2()) {
    i = EncodeBlocksAvx2(in, n, p);
    p += i / 3 * 4;
  }
#endif
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
