// The request target of an HTTP request ("/path?query"), split and percent-decoded the same way for HTTP/1.1 and
// HTTP/2.
//
// The path is percent-decoded ("+" stays "+"); query parameters are split on "&" and "=", and names and values
// are percent-decoded with "+" meaning a space (form encoding, as SDKs write presigned URLs). A malformed escape
// ("%zz", a lone "%") is kept as written. When a name repeats, the last value wins.
//
// Thread-safety: stateless functions.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace kemu {

// 0-15 for a hexadecimal digit (either case), -1 for anything else.
int HexDigitValue(char c);

// Decodes %XX escapes (and "+" as a space when `plus_is_space`).
std::string PercentDecode(std::string_view text, bool plus_is_space);

// Fills `path` and `query` from a request target.
void ParseRequestTarget(std::string_view target, std::string* path, std::map<std::string, std::string>* query);

}  // namespace kemu
