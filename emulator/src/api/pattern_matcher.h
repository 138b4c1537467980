// PatternMatcher: one `pattern` constraint of the API model (an ECMAScript regular expression that must match the
// whole value), with fast paths for the forms the Kinesis model uses on every data-plane call.
//
// "[a-zA-Z0-9_.-]+" (one character class, repeated) is matched with a 256-entry table, and
// "0|([1-9]\d{0,N})" (a decimal number without leading zeros) by counting digits: both exactly as std::regex
// would match them, in a few instructions per character instead of a regex engine's thousands per value. Any other
// pattern (the ARN ones) is compiled with std::regex on first use.
//
// Thread-safety: Matches() may be called from any number of threads.
#pragma once

#include <bitset>
#include <cstddef>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

namespace kemu::api {

class PatternMatcher {
 public:
  explicit PatternMatcher(std::string pattern);

  bool Matches(std::string_view value) const;
  // True when a fast path serves this pattern (for tests).
  bool fast() const { return kind_ != Kind::kRegex; }

 private:
  enum class Kind { kCharClassRun, kDecimal, kRegex };
  // Recognises "[...]+" with literal characters and ranges only.
  bool ParseCharClassRun();
  // Recognises "0|([1-9]\d{0,N})".
  bool ParseDecimal();

  std::string pattern_;
  Kind kind_ = Kind::kRegex;
  std::bitset<256> allowed_;
  size_t max_digits_ = 0;  // digits after the first, for kDecimal
  mutable std::once_flag regex_once_;
  mutable std::optional<std::regex> regex_;
};

}  // namespace kemu::api
