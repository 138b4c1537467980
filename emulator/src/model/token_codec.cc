#include "model/token_codec.h"

#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include "util/base64.h"

namespace kemu {
namespace {
constexpr uint8_t kTokenVersion = 1;
constexpr size_t kMacBytes = 16;
}  // namespace

std::string TokenCodec::Mac(std::string_view data) const {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), kMacBytes);
}

std::string TokenCodec::Seal(std::string_view payload) const {
  std::string raw;
  raw.reserve(1 + payload.size() + kMacBytes);
  raw.push_back(static_cast<char>(kTokenVersion));
  raw.append(payload);
  raw.append(Mac(raw));
  return Base64Encode(raw);
}

std::optional<std::string> TokenCodec::Open(std::string_view token) const {
  auto raw = Base64Decode(token);
  if (!raw || raw->size() < 1 + kMacBytes) return std::nullopt;
  if (static_cast<uint8_t>((*raw)[0]) != kTokenVersion) return std::nullopt;
  std::string_view signed_part(raw->data(), raw->size() - kMacBytes);
  std::string expected = Mac(signed_part);
  if (CRYPTO_memcmp(expected.data(), raw->data() + signed_part.size(), kMacBytes) != 0) return std::nullopt;
  return std::string(signed_part.substr(1));
}

TokenWriter& TokenWriter::U8(uint8_t v) {
  bytes_.push_back(static_cast<char>(v));
  return *this;
}
TokenWriter& TokenWriter::U32(uint32_t v) {
  for (int i = 3; i >= 0; --i) bytes_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return *this;
}
TokenWriter& TokenWriter::I64(int64_t v) {
  auto u = static_cast<uint64_t>(v);
  for (int i = 7; i >= 0; --i) bytes_.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
  return *this;
}
TokenWriter& TokenWriter::Str(std::string_view s) {
  const size_t n = s.size() > 0xffff ? 0xffff : s.size();
  bytes_.push_back(static_cast<char>(n >> 8));
  bytes_.push_back(static_cast<char>(n & 0xff));
  bytes_.append(s.substr(0, n));
  return *this;
}

bool TokenReader::U8(uint8_t* v) {
  if (pos_ + 1 > bytes_.size()) return false;
  *v = static_cast<uint8_t>(bytes_[pos_++]);
  return true;
}
bool TokenReader::U32(uint32_t* v) {
  if (pos_ + 4 > bytes_.size()) return false;
  uint32_t r = 0;
  for (int i = 0; i < 4; ++i) r = (r << 8) | static_cast<uint8_t>(bytes_[pos_++]);
  *v = r;
  return true;
}
bool TokenReader::I64(int64_t* v) {
  if (pos_ + 8 > bytes_.size()) return false;
  uint64_t r = 0;
  for (int i = 0; i < 8; ++i) r = (r << 8) | static_cast<uint8_t>(bytes_[pos_++]);
  *v = static_cast<int64_t>(r);
  return true;
}
bool TokenReader::Str(std::string* s) {
  if (pos_ + 2 > bytes_.size()) return false;
  size_t n = (static_cast<uint8_t>(bytes_[pos_]) << 8) | static_cast<uint8_t>(bytes_[pos_ + 1]);
  pos_ += 2;
  if (pos_ + n > bytes_.size()) return false;
  s->assign(bytes_.substr(pos_, n));
  pos_ += n;
  return true;
}

}  // namespace kemu
