// TokenCodec: opaque, tamper-evident tokens (shard iterators, NextTokens).
//
// A token is base64( version byte | payload | first 16 bytes of HMAC-SHA256(key, version | payload) ). Open()
// returns the payload only when the MAC matches, so forged or corrupted tokens are told apart from expired ones.
// Each server has its own key (kept in the store, so tokens survive a restart on the same data file).
//
// Thread-safety: immutable after construction; safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kemu {

class TokenCodec {
 public:
  explicit TokenCodec(std::string key) : key_(std::move(key)) {}

  std::string Seal(std::string_view payload) const;
  std::optional<std::string> Open(std::string_view token) const;

 private:
  std::string Mac(std::string_view data) const;
  std::string key_;
};

// Little helpers to build and read fixed-layout payloads.
class TokenWriter {
 public:
  TokenWriter& U8(uint8_t v);
  TokenWriter& U32(uint32_t v);
  TokenWriter& I64(int64_t v);
  TokenWriter& Str(std::string_view s);  // u16 length prefix
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

class TokenReader {
 public:
  explicit TokenReader(std::string_view bytes) : bytes_(bytes) {}
  bool U8(uint8_t* v);
  bool U32(uint32_t* v);
  bool I64(int64_t* v);
  bool Str(std::string* s);
  bool AtEnd() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace kemu
