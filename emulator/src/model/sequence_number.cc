#include "model/sequence_number.h"

#include <array>
#include <cstdio>

namespace kemu {
namespace {

constexpr int kHexDigits = 47;
// 47 hex digits = 188 bits: six 32-bit limbs, least significant first.
using Limbs = std::array<uint32_t, 6>;

bool GetHex(std::string_view hex, int pos, int digits, uint64_t* value) {
  uint64_t v = 0;
  for (int i = 0; i < digits; ++i) {
    char c = hex[pos + i];
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (d < 0) return false;
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  *value = v;
  return true;
}

}  // namespace

size_t FormatSequenceNumber(const SequenceNumberParts& parts, char (&buf)[kMaxSequenceNumberDigits]) {
  // The layout's fields, least significant first, as (value, bit width); packed straight into 32-bit limbs
  // (no hex text in between).
  const uint64_t fields[][2] = {{2, 4},
                                {parts.shard_index, 32},
                                {static_cast<uint64_t>(parts.arrival_s) & 0xfffffffffULL, 36},
                                {0, 8},
                                {parts.counter, 64},
                                {parts.shard_index & 0xfULL, 4},
                                {static_cast<uint64_t>(parts.shard_created_s) & 0xfffffffffULL, 36},
                                {2, 4}};
  Limbs limbs{};
  int bit = 0;
  for (const auto& [value, width] : fields) {
    // A field spans at most three limbs (64 bits starting mid-limb).
    const unsigned __int128 shifted = static_cast<unsigned __int128>(value) << (bit % 32);
    for (int k = 0, limb = bit / 32; k < 3 && limb + k < static_cast<int>(limbs.size()); ++k) {
      limbs[limb + k] |= static_cast<uint32_t>(shifted >> (32 * k));
    }
    bit += static_cast<int>(width);
  }

  // Nine decimal digits per pass: divide the whole number by 10^9 and print the remainder, two digits at a
  // time. Limbs that became zero at the top are skipped.
  static constexpr char kPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  constexpr uint32_t kChunk = 1000000000;
  char digits[63];
  int pos = 63;
  int top = static_cast<int>(limbs.size()) - 1;
  while (top >= 0) {
    uint64_t rem = 0;
    for (int i = top; i >= 0; --i) {
      const uint64_t cur = (rem << 32) | limbs[i];
      limbs[i] = static_cast<uint32_t>(cur / kChunk);
      rem = cur % kChunk;
    }
    while (top >= 0 && limbs[top] == 0) --top;
    auto r = static_cast<uint32_t>(rem);
    for (int k = 0; k < 4; ++k) {
      const uint32_t two = r % 100;
      r /= 100;
      pos -= 2;
      digits[pos] = kPairs[2 * two];
      digits[pos + 1] = kPairs[2 * two + 1];
    }
    digits[--pos] = static_cast<char>('0' + r);
  }
  while (pos < 62 && digits[pos] == '0') ++pos;  // the last chunk printed leading zeros
  const size_t n = static_cast<size_t>(63 - pos);
  for (size_t i = 0; i < n; ++i) buf[i] = digits[pos + i];
  return n;
}

std::string EncodeSequenceNumber(const SequenceNumberParts& parts) {
  char buf[kMaxSequenceNumberDigits];
  return std::string(buf, FormatSequenceNumber(parts, buf));
}

std::optional<SequenceNumberParts> DecodeSequenceNumber(std::string_view decimal) {
  if (decimal.empty() || decimal.size() > 60) return std::nullopt;
  Limbs limbs{};
  for (char c : decimal) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t carry = static_cast<uint64_t>(c - '0');
    for (auto& limb : limbs) {
      uint64_t v = static_cast<uint64_t>(limb) * 10 + carry;
      limb = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
    if (carry != 0) return std::nullopt;
  }
  // 188 bits at most: the top limb may use only its low 28 bits.
  if (limbs[5] >> 28) return std::nullopt;
  char hex[kHexDigits];
  for (int i = 0; i < kHexDigits; ++i) {
    int bit = (kHexDigits - 1 - i) * 4;
    uint32_t nibble = (limbs[bit / 32] >> (bit % 32)) & 0xf;
    hex[i] = "0123456789abcdef"[nibble];
  }
  std::string_view h(hex, kHexDigits);
  if (h[0] != '2' || h[46] != '2' || h[27] != '0' || h[28] != '0') return std::nullopt;
  uint64_t created, nibble, counter, arrival, index;
  if (!GetHex(h, 1, 9, &created) || !GetHex(h, 10, 1, &nibble) || !GetHex(h, 11, 16, &counter) ||
      !GetHex(h, 29, 9, &arrival) || !GetHex(h, 38, 8, &index)) {
    return std::nullopt;
  }
  if ((index & 0xf) != nibble || counter > kMaxSequenceCounter) return std::nullopt;
  SequenceNumberParts parts;
  parts.shard_created_s = static_cast<int64_t>(created);
  parts.shard_index = static_cast<uint32_t>(index);
  parts.counter = counter;
  parts.arrival_s = static_cast<int64_t>(arrival);
  return parts;
}

}  // namespace kemu
