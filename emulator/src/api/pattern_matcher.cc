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
  if (ParseCharClassRun(pattern)) {
    kind_ = Kind::kCharClassRun;
  } else if (ParseDecimal(pattern)) {
    kind_ = Kind::kDecimal;
  }
  // Compiled even behind a fast path, so that a pattern the model gets wrong fails at load time either way.
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

bool PatternMatcher::ParseCharClassRun(std::string_view p) {
  if (p.size() < 4 || p.front() != '[' || p.substr(p.size() - 2) != "]+") return false;
  const std::string_view body = p.substr(1, p.size() - 3);
  if (body.empty() || body.front() == '^') return false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '\\' || c == '[' || c == ']') return false;  // escapes and nested classes: leave them to RE2
    // Only ASCII members: a byte table cannot stand for a multi-byte character.
    if (static_cast<unsigned char>(c) >= 0x80) return false;
    if (i + 2 < body.size() && body[i + 1] == '-') {
      const char last = body[i + 2];
      if (last == '\\' || last == '[' || last == ']' || static_cast<unsigned char>(last) >= 0x80 ||
          static_cast<unsigned char>(last) < static_cast<unsigned char>(c)) {
        return false;
      }
      for (int x = static_cast<unsigned char>(c); x <= static_cast<unsigned char>(last); ++x) allowed_.set(x);
      i += 2;
    } else {
      allowed_.set(static_cast<unsigned char>(c));  // includes a '-' first or last, which is literal
    }
  }
  return true;
}

bool PatternMatcher::ParseDecimal(std::string_view p) {
  constexpr std::string_view kPrefix = "0|([1-9]\\d{0,";
  constexpr std::string_view kSuffix = "})";
  if (p.size() <= kPrefix.size() + kSuffix.size() || p.substr(0, kPrefix.size()) != kPrefix ||
      p.substr(p.size() - kSuffix.size()) != kSuffix) {
    return false;
  }
  const std::string_view n = p.substr(kPrefix.size(), p.size() - kPrefix.size() - kSuffix.size());
  if (n.empty() || n.size() > 4) return false;
  size_t value = 0;
  for (char c : n) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<size_t>(c - '0');
  }
  max_digits_ = value;
  return true;
}

bool PatternMatcher::Matches(std::string_view value) const {
  switch (kind_) {
    case Kind::kCharClassRun:
      if (value.empty()) return false;
      for (char c : value) {
        if (!allowed_.test(static_cast<unsigned char>(c))) return false;
      }
      return true;
    case Kind::kDecimal:
      if (value == "0") return true;
      if (value.empty() || value.size() > max_digits_ + 1 || value[0] < '1' || value[0] > '9') return false;
      for (char c : value.substr(1)) {
        if (c < '0' || c > '9') return false;
      }
      return true;
    case Kind::kRe2:
      break;
  }
  return RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *re2_);
}

}  // namespace kemu::api
