#include "model/sequence_number.h"

#include <array>
#include <cstdio>

namespace kemu {
namespace {

constexpr int kHexDigits = 47;
// 47 hex digits = 188 bits: six 32-bit limbs, least significant first.
using Limbs = std::array<uint32_t, 6>;

void PutHex(char* out, uint64_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = kHex[value & 0xf];
    value >>= 4;
  }
}

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

Limbs HexToLimbs(const char* hex) {
  // Hex digit i holds bits [4 * (46 - i), 4 * (47 - i)); a nibble never straddles two 32-bit limbs.
  Limbs limbs{};
  for (int i = 0; i < kHexDigits; ++i) {
    int c = hex[i];
    uint32_t d = (c <= '9') ? c - '0' : c - 'a' + 10;
    int bit = (kHexDigits - 1 - i) * 4;
    limbs[bit / 32] |= d << (bit % 32);
  }
  return limbs;
}

}  // namespace

std::string EncodeSequenceNumber(const SequenceNumberParts& parts) {
  char hex[kHexDigits];
  hex[0] = '2';
  PutHex(hex + 1, static_cast<uint64_t>(parts.shard_created_s), 9);
  PutHex(hex + 10, parts.shard_index & 0xf, 1);
  PutHex(hex + 11, parts.counter, 16);
  hex[27] = '0';
  hex[28] = '0';
  PutHex(hex + 29, static_cast<uint64_t>(parts.arrival_s), 9);
  PutHex(hex + 38, parts.shard_index, 8);
  hex[46] = '2';

  Limbs limbs = HexToLimbs(hex);
  // Nine decimal digits per pass: divide the whole number by 10^9 and print the remainder.
  constexpr uint32_t kChunk = 1000000000;
  char digits[72];
  int pos = 72;
  bool nonzero = true;
  while (nonzero) {
    uint64_t rem = 0;
    nonzero = false;
    for (int i = static_cast<int>(limbs.size()) - 1; i >= 0; --i) {
      uint64_t cur = (rem << 32) | limbs[i];
      limbs[i] = static_cast<uint32_t>(cur / kChunk);
      rem = cur % kChunk;
      if (limbs[i] != 0) nonzero = true;
    }
    for (int k = 0; k < 9; ++k) {
      digits[--pos] = static_cast<char>('0' + rem % 10);
      rem /= 10;
    }
  }
  while (pos < 71 && digits[pos] == '0') ++pos;  // the last chunk printed leading zeros
  return std::string(digits + pos, 72 - pos);
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
