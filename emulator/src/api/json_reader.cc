#include "api/json_reader.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "util/utf8.h"

namespace kemu::api {
namespace {

// Bytes a string may copy as they are: printable ASCII other than the quote and the backslash.
constexpr bool IsPlain(unsigned char c) { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

// The first byte at or after `p` (before `end`) that is not plain. Eight bytes at a time: a word is all plain
// when no byte has its top bit set, none is below 0x20, and none equals '"' or '\\' (exact zero-byte tests).
const char* SkipPlain(const char* p, const char* end) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    const bool stop = (w & kHigh) != 0 || ((w - kOnes * 0x20) & ~w & kHigh) != 0 || has_zero(w ^ (kOnes * '"')) ||
                      has_zero(w ^ (kOnes * '\\'));
    if (stop) break;
    p += 8;
  }
  while (p < end && IsPlain(static_cast<unsigned char>(*p))) ++p;
  return p;
}

class Reader {
 public:
  Reader(const char* p, const char* end, int max_depth) : p_(p), end_(end), max_depth_(max_depth) {}

  std::optional<Json> Read() {
    // A UTF-8 byte order mark may open the text (and a lone 0xEF may not).
    if (p_ < end_ && static_cast<unsigned char>(*p_) == 0xEF) {
      if (end_ - p_ < 3 || static_cast<unsigned char>(p_[1]) != 0xBB || static_cast<unsigned char>(p_[2]) != 0xBF) {
        return std::nullopt;
      }
      p_ += 3;
    }
    Json root;
    if (!ReadDocument(&root)) return std::nullopt;
    SkipSpace();
    // nlohmann's lexer takes a NUL byte outside a string for the end of the input; whatever follows is ignored.
    if (p_ != end_ && *p_ != '\0') return std::nullopt;
    return root;
  }

 private:
  struct Frame {
    Json* container;
    bool object;
  };

  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  // One complete value into *slot, containers handled with an explicit stack (no recursion).
  bool ReadDocument(Json* slot) {
    std::vector<Frame> stack;
    for (;;) {
      // A value starts here.
      SkipSpace();
      if (p_ == end_) return false;
      bool opened = false;
      switch (*p_) {
        case '{': {
          if (stack.size() >= static_cast<size_t>(max_depth_)) return false;
          ++p_;
          *slot = Json::object();
          SkipSpace();
          if (p_ < end_ && *p_ == '}') {
            ++p_;
            break;
          }
          stack.push_back({slot, true});
          if (!(slot = MemberSlot(slot))) return false;
          opened = true;
          break;
        }
        case '[': {
          if (stack.size() >= static_cast<size_t>(max_depth_)) return false;
          ++p_;
          *slot = Json::array();
          SkipSpace();
          if (p_ < end_ && *p_ == ']') {
            ++p_;
            break;
          }
          stack.push_back({slot, false});
          auto& array = slot->get_ref<Json::array_t&>();
          slot = &array.emplace_back();
          opened = true;
          break;
        }
        case '"': {
          std::string s;
          if (!ReadString(s)) return false;
          *slot = std::move(s);
          break;
        }
        case 't':
          if (!Literal("true")) return false;
          *slot = true;
          break;
        case 'f':
          if (!Literal("false")) return false;
          *slot = false;
          break;
        case 'n':
          if (!Literal("null")) return false;
          *slot = nullptr;
          break;
        default:
          if (!ReadNumber(slot)) return false;
      }
      if (opened) continue;
      // A value ended: close containers until one continues with a comma.
      for (;;) {
        if (stack.empty()) return true;
        Frame& top = stack.back();
        SkipSpace();
        if (p_ == end_) return false;
        const char c = *p_++;
        if (c == ',') {
          if (top.object) {
            if (!(slot = MemberSlot(top.container))) return false;
          } else {
            slot = &top.container->get_ref<Json::array_t&>().emplace_back();
          }
          break;
        }
        if (c != (top.object ? '}' : ']')) return false;
        stack.pop_back();
      }
    }
  }

  // Reads `"key" :` and returns the object's slot for that key (an earlier value under the same key is replaced).
  Json* MemberSlot(Json* object) {
    SkipSpace();
    if (p_ == end_ || *p_ != '"') return nullptr;
    std::string key;
    if (!ReadString(key)) return nullptr;
    SkipSpace();
    if (p_ == end_ || *p_ != ':') return nullptr;
    ++p_;
    Json& slot = object->get_ref<Json::object_t&>()[std::move(key)];
    slot = nullptr;
    return &slot;
  }

  bool Literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  static int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // After "\u": four hex digits.
  bool Hex4(uint32_t* out) {
    if (end_ - p_ < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int d = HexDigit(p_[i]);
      if (d < 0) return false;
      v = (v << 4) | static_cast<uint32_t>(d);
    }
    p_ += 4;
    *out = v;
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // p_ at the opening quote.
  bool ReadString(std::string& out) {
    ++p_;
    for (;;) {
      const char* run = p_;
      p_ = SkipPlain(p_, end_);
      out.append(run, static_cast<size_t>(p_ - run));
      if (p_ == end_) return false;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        size_t n = Utf8SequenceLength(std::string_view(p_, static_cast<size_t>(end_ - p_)));
        if (n == 0) return false;
        out.append(p_, n);
        p_ += n;
        continue;
      }
      // a backslash escape
      ++p_;
      if (p_ == end_) return false;
      switch (*p_++) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          uint32_t cp;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate cannot come first
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low;
            if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            if (!Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return false;
      }
    }
  }

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  bool ReadNumber(Json* slot) {
    const char* start = p_;
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (IsDigit(*p_)) {
      while (p_ < end_ && IsDigit(*p_)) ++p_;
    } else {
      return false;
    }
    const char* int_end = p_;
    bool is_float = false;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return false;
      while (p_ < end_ && IsDigit(*p_)) ++p_;
      is_float = true;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !IsDigit(*p_)) return false;
      while (p_ < end_ && IsDigit(*p_)) ++p_;
      is_float = true;
    }
    if (!is_float) {
      // Integers that fit: unsigned when non-negative, signed when negative; otherwise a double, as nlohmann does.
      uint64_t magnitude = 0;
      bool overflow = false;
      for (const char* d = start + (negative ? 1 : 0); d < int_end; ++d) {
        const auto digit = static_cast<uint64_t>(*d - '0');
        if (magnitude > (UINT64_MAX - digit) / 10) {
          overflow = true;
          break;
        }
        magnitude = magnitude * 10 + digit;
      }
      if (!overflow && !negative) {
        *slot = magnitude;
        return true;
      }
      if (!overflow && magnitude <= static_cast<uint64_t>(INT64_MAX) + 1) {
        *slot = magnitude == static_cast<uint64_t>(INT64_MAX) + 1 ? INT64_MIN : -static_cast<int64_t>(magnitude);
        return true;
      }
    }
    const std::string token(start, static_cast<size_t>(p_ - start));
    char* parsed_end = nullptr;
    const double value = std::strtod(token.c_str(), &parsed_end);
    if (parsed_end != token.c_str() + token.size() || !std::isfinite(value)) return false;
    *slot = value;
    return true;
  }

  const char* p_;
  const char* end_;
  int max_depth_;
};

}  // namespace

std::optional<Json> ReadJson(std::string_view text, int max_depth) {
  return Reader(text.data(), text.data() + text.size(), max_depth).Read();
}

}  // namespace kemu::api
