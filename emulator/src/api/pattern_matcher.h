// PatternMatcher: one `pattern` constraint of the API model, a Java regular expression that must match the whole
// value, decided in time linear in the value's length, with bounded memory and no recursion.
//
// The patterns are compiled with RE2 when the model is loaded (RE2 guarantees linear-time matching and a fixed
// memory budget per expression; std::regex backtracks recursively and overflows the stack on long inputs). Before
// compiling, the pattern is rewritten where Java and RE2 differ: `.` excludes Java's line terminators and `\s`/`\S`
// include the vertical tab, as in java.util.regex, which is what AWS validates with.
//
// Two forms that the Kinesis model uses on every data-plane call keep a table-driven fast path, exactly equivalent
// to the expression: "[a-zA-Z0-9_.-]+" (one character class, repeated) and "0|([1-9]\d{0,N})" (a decimal number
// without leading zeros). bench/README.md has the measurement that keeps them.
//
// Thread-safety: Matches() may be called from any number of threads (RE2 objects are thread-safe for matching).
#pragma once

#include <bitset>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace kemu::api {

class PatternMatcher {
 public:
  // Aborts when `pattern` is not a valid expression: patterns come from the embedded model, so that is a build defect.
  explicit PatternMatcher(std::string pattern);
  ~PatternMatcher();
  PatternMatcher(PatternMatcher&&) noexcept;
  PatternMatcher& operator=(PatternMatcher&&) noexcept;

  bool Matches(std::string_view value) const;
  // True when a fast path serves this pattern (for tests).
  bool fast() const { return kind_ != Kind::kRe2; }

  // The expression handed to RE2 for a Java pattern (exposed for tests).
  static std::string TranslateJavaPattern(std::string_view pattern);

 private:
  enum class Kind { kCharClassRun, kDecimal, kRe2 };
  // Recognises "[...]+" with literal characters and ranges only.
  bool ParseCharClassRun(std::string_view p);
  // Recognises "0|([1-9]\d{0,N})".
  bool ParseDecimal(std::string_view p);

  Kind kind_ = Kind::kRe2;
  std::bitset<256> allowed_;
  size_t max_digits_ = 0;  // digits after the first, for kDecimal
  std::unique_ptr<re2::RE2> re2_;
};

}  // namespace kemu::api
