// PatternMatcher: one `pattern` constraint of the API model, a Java regular expression that must match the whole
// value, decided in time linear in the value's length, with bounded memory and no recursion.
//
// The patterns are compiled with RE2 when the model is loaded (RE2 guarantees linear-time matching and a fixed
// memory budget per expression; std::regex backtracks recursively and overflows the stack on long inputs). Before
// compiling, the pattern is rewritten where Java and RE2 differ: `.` excludes Java's line terminators and `\s`/`\S`
// include the vertical tab, as in java.util.regex, which is what AWS validates with.
//
// RE2 serves every pattern: the table-driven fast paths kept for the two common forms saved 415 of 103,450
// callgrind instructions per PutRecord (0.4%), too little for a second matcher to keep exact (bench/README.md).
//
// Thread-safety: Matches() may be called from any number of threads (RE2 objects are thread-safe for matching).
#pragma once

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

  // The expression handed to RE2 for a Java pattern (exposed for tests).
  static std::string TranslateJavaPattern(std::string_view pattern);

 private:
  std::unique_ptr<re2::RE2> re2_;
};

}  // namespace kemu::api
