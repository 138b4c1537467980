#include "api/pattern_matcher.h"

#include <re2/re2.h>

#include <cstdio>
#include <cstdlib>

namespace kemu::api {
namespace {

// java.util.regex: `.` matches anything but a line terminator; `\s` is [ \t\n\x0B\f\r].
constexpr std::string_view kJavaDot = R"([^\n\r\x{85}\x{2028}\x{2029}])";
constexpr std::string_view kJavaSpace = R"([\t\n\x0B\f\r ])";
constexpr std::string_view kJavaNonSpace = R"([^\t\n\x0B\f\r ])";

}  // namespace

std::string PatternMatcher::TranslateJavaPattern(std::string_view p) {
  std::string out;
  out.reserve(p.size() + 32);
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      const char e = p[++i];
      if (!in_class && e == 's') {
        out += kJavaSpace;
      } else if (!in_class && e == 'S') {
        out += kJavaNonSpace;
      } else {
        out.push_back('\\');
        out.push_back(e);
      }
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out.push_back(c);
    } else if (c == '[') {
      in_class = true;
      out.push_back(c);
      // A ']' right after '[' or '[^' is a literal member, not the end of the class.
      if (i + 1 < p.size() && p[i + 1] == '^') out.push_back(p[++i]);
      if (i + 1 < p.size() && p[i + 1] == ']') out.push_back(p[++i]);
    } else if (c == '.') {
      out += kJavaDot;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

PatternMatcher::PatternMatcher(std::string pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(RE2::Options::EncodingUTF8);
  re2_ = std::make_unique<re2::RE2>(TranslateJavaPattern(pattern), options);
  if (!re2_->ok()) {
    std::fprintf(stderr, "kinesis-emulator: the API model's pattern %s does not compile: %s\n", pattern.c_str(),
                 re2_->error().c_str());
    std::abort();
  }
}

PatternMatcher::~PatternMatcher() = default;
PatternMatcher::PatternMatcher(PatternMatcher&&) noexcept = default;
PatternMatcher& PatternMatcher::operator=(PatternMatcher&&) noexcept = default;

bool PatternMatcher::Matches(std::string_view value) const {
  return RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *re2_);
}

}  // namespace kemu::api
