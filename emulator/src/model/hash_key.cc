#include "model/hash_key.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>

namespace kemu {

std::optional<HashKey> ParseHashKey(std::string_view decimal) {
  if (decimal.empty() || decimal.size() > 39) return std::nullopt;
  HashKey value = 0;
  for (char c : decimal) {
    if (c < '0' || c > '9') return std::nullopt;
    const HashKey digit = static_cast<HashKey>(c - '0');
    if (value > (kMaxHashKey - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

std::string FormatHashKey(HashKey key) {
  if (key == 0) return "0";
  char buf[40];
  int pos = 40;
  while (key != 0) {
    buf[--pos] = static_cast<char>('0' + static_cast<int>(key % 10));
    key /= 10;
  }
  return std::string(buf + pos, 40 - pos);
}

HashKey HashPartitionKey(std::string_view partition_key) {
  // EVP_Digest with EVP_md5() looks the algorithm up and allocates a context on every call (OpenSSL 3); the
  // fetched MD5 and a context per thread are reused instead.
  static EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  struct ContextDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };
  thread_local std::unique_ptr<EVP_MD_CTX, ContextDeleter> ctx(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (md5 == nullptr || ctx == nullptr || EVP_DigestInit_ex2(ctx.get(), md5, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), partition_key.data(), partition_key.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &len) != 1) {
    EVP_Digest(partition_key.data(), partition_key.size(), digest, &len, EVP_md5(), nullptr);
  }
  HashKey value = 0;
  for (int i = 0; i < 16; ++i) value = (value << 8) | digest[i];
  return value;
}

std::vector<HashKeyRange> EvenHashKeyRanges(int shard_count) {
  std::vector<HashKeyRange> ranges;
  if (shard_count <= 0) return ranges;
  // floor(2^128 / n) computed without 2^128: (2^128 - 1) / n, plus one when n divides 2^128 exactly.
  const HashKey n = static_cast<HashKey>(shard_count);
  HashKey width = kMaxHashKey / n;
  if (kMaxHashKey % n == n - 1) width += 1;
  ranges.reserve(shard_count);
  for (int i = 0; i < shard_count; ++i) {
    HashKeyRange r;
    r.start = width * static_cast<HashKey>(i);
    r.end = (i == shard_count - 1) ? kMaxHashKey : r.start + width - 1;
    ranges.push_back(r);
  }
  return ranges;
}

}  // namespace kemu
