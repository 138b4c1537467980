// KMS envelopes: how the emulator encrypts record data at rest.
//
// An envelope is AES-256-GCM over the plaintext with a fresh 96-bit IV: version
// byte (1) | IV (12) | ciphertext | tag (16). The associated data binds an
// envelope to the key it was sealed with, so an envelope opened under another
// key, or altered by one bit, fails to open instead of yielding garbage.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kemu {

constexpr size_t kEnvelopeKeyBytes = 32;

// Seals `plaintext` under the 32-byte `key`; nullopt only when OpenSSL fails.
std::optional<std::string> SealEnvelope(std::string_view key, std::string_view associated_data,
                                        std::string_view plaintext);
// The plaintext, or nullopt when the envelope is malformed, tampered with, or
// sealed under another key or associated data.
std::optional<std::string> OpenEnvelope(std::string_view key, std::string_view associated_data,
                                        std::string_view envelope);

}  // namespace kemu
