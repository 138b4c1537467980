#include "model/kms_envelope.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <memory>

namespace kemu {
namespace {

constexpr unsigned char kEnvelopeVersion = 1;
constexpr int kIvBytes = 12;
constexpr int kTagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

std::optional<std::string> SealEnvelope(std::string_view key, std::string_view associated_data,
                                        std::string_view plaintext) {
  if (key.size() != kEnvelopeKeyBytes) return std::nullopt;
  std::string out(1 + kIvBytes + plaintext.size() + kTagBytes, '\0');
  auto* raw = reinterpret_cast<unsigned char*>(out.data());
  raw[0] = kEnvelopeVersion;
  if (RAND_bytes(raw + 1, kIvBytes) != 1) return std::nullopt;
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), raw + 1) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data), static_cast<int>(associated_data.size())) !=
          1 ||
      EVP_EncryptUpdate(ctx.get(), raw + 1 + kIvBytes, &len, Bytes(plaintext), static_cast<int>(plaintext.size())) !=
          1 ||
      EVP_EncryptFinal_ex(ctx.get(), raw + 1 + kIvBytes + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, raw + 1 + kIvBytes + plaintext.size()) != 1) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> OpenEnvelope(std::string_view key, std::string_view associated_data,
                                        std::string_view envelope) {
  if (key.size() != kEnvelopeKeyBytes || envelope.size() < 1 + kIvBytes + kTagBytes ||
      static_cast<unsigned char>(envelope[0]) != kEnvelopeVersion) {
    return std::nullopt;
  }
  const size_t text_len = envelope.size() - 1 - kIvBytes - kTagBytes;
  const unsigned char* iv = Bytes(envelope) + 1;
  const unsigned char* text = iv + kIvBytes;
  std::string tag(envelope.substr(1 + kIvBytes + text_len));
  std::string plain(text_len, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, Bytes(key), iv) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data), static_cast<int>(associated_data.size())) !=
          1 ||
      EVP_DecryptUpdate(ctx.get(), out, &len, text, static_cast<int>(text_len)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), out + len, &len) != 1) {
    return std::nullopt;
  }
  return plain;
}

}  // namespace kemu
