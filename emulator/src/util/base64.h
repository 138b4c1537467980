// Standard base64 (RFC 4648, with padding), as Kinesis JSON carries blobs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kemu {

std::string Base64Encode(std::string_view bytes);
// Appends the encoding of `bytes` to `out` (no intermediate string).
void Base64EncodeAppend(std::string_view bytes, std::string& out);
// Returns nullopt when `text` is not valid padded base64.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace kemu
