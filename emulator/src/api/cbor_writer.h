// Pieces of a CBOR encoding (RFC 8949), appended to a string: heads, integers, text and byte strings.
//
// Shared by the model-driven encoder (api/cbor_encoder.h) and the record-list writer (api/record_list.h).
// Thread-safety: stateless functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kemu::api::cbor {

// A head of major type `major` (0..7) with its argument in the shortest form.
inline void Head(uint8_t major, uint64_t value, std::string& out) {
  const auto m = static_cast<uint8_t>(major << 5);
  if (value < 24) {
    out.push_back(static_cast<char>(m | value));
    return;
  }
  char buf[9];
  int n;
  if (value <= 0xff) {
    buf[0] = static_cast<char>(m | 24);
    n = 1;
  } else if (value <= 0xffff) {
    buf[0] = static_cast<char>(m | 25);
    n = 2;
  } else if (value <= 0xffffffffULL) {
    buf[0] = static_cast<char>(m | 26);
    n = 4;
  } else {
    buf[0] = static_cast<char>(m | 27);
    n = 8;
  }
  for (int i = 0; i < n; ++i) buf[1 + i] = static_cast<char>((value >> (8 * (n - 1 - i))) & 0xff);
  out.append(buf, static_cast<size_t>(n) + 1);
}

inline void Int(int64_t v, std::string& out) {
  if (v >= 0) {
    Head(0, static_cast<uint64_t>(v), out);
  } else {
    Head(1, static_cast<uint64_t>(-(v + 1)), out);
  }
}

inline void Text(std::string_view s, std::string& out) {
  Head(3, s.size(), out);
  out.append(s);
}

inline void Bytes(std::string_view s, std::string& out) {
  Head(2, s.size(), out);
  out.append(s);
}

}  // namespace kemu::api::cbor
