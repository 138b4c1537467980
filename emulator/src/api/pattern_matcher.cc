#include "api/pattern_matcher.h"

namespace kemu::api {

PatternMatcher::PatternMatcher(std::string pattern) : pattern_(std::move(pattern)) {
  if (ParseCharClassRun()) {
    kind_ = Kind::kCharClassRun;
  } else if (ParseDecimal()) {
    kind_ = Kind::kDecimal;
  }
}

bool PatternMatcher::ParseCharClassRun() {
  const std::string_view p = pattern_;
  if (p.size() < 4 || p.front() != '[' || p.substr(p.size() - 2) != "]+") return false;
  const std::string_view body = p.substr(1, p.size() - 3);
  if (body.empty() || body.front() == '^') return false;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == '\\' || c == '[' || c == ']') return false;  // escapes and nested classes: leave them to std::regex
    if (i + 2 < body.size() && body[i + 1] == '-') {
      const char last = body[i + 2];
      if (last == '\\' || last == '[' || last == ']' ||
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

bool PatternMatcher::ParseDecimal() {
  constexpr std::string_view kPrefix = "0|([1-9]\\d{0,";
  constexpr std::string_view kSuffix = "})";
  const std::string_view p = pattern_;
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
    case Kind::kRegex:
      break;
  }
  std::call_once(regex_once_, [this] { regex_.emplace(pattern_, std::regex::ECMAScript | std::regex::optimize); });
  return std::regex_match(value.begin(), value.end(), *regex_);
}

}  // namespace kemu::api
