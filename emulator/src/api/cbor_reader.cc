#include "api/cbor_reader.h"

#include <cmath>
#include <cstring>

#include "util/utf8.h"

namespace kemu::api {
namespace {

class Reader {
 public:
  Reader(std::string_view bytes, int max_depth)
      : p_(bytes.data()), end_(bytes.data() + bytes.size()), max_depth_(max_depth) {}

  // `depth`: the arrays, maps and tags around this item. A container may open only below `max_depth_` of them,
  // which bounds this recursion.
  bool Item(Json* out, int depth) {
    if (p_ >= end_) return false;
    const auto initial = static_cast<uint8_t>(*p_++);
    const int major = initial >> 5;
    const int info = initial & 0x1f;
    if ((major == 4 || major == 5 || major == 6) && depth >= max_depth_) return false;
    if (major == 7) return Simple(info, out);
    if (info == 31) return Indefinite(major, out, depth);
    uint64_t n;
    if (!Argument(info, &n)) return false;
    switch (major) {
      case 0:
        if (n > static_cast<uint64_t>(INT64_MAX)) {
          *out = n;
        } else {
          *out = static_cast<int64_t>(n);
        }
        return true;
      case 1:
        if (n > static_cast<uint64_t>(INT64_MAX)) return false;
        *out = -1 - static_cast<int64_t>(n);
        return true;
      case 2:
      case 3: {
        if (n > static_cast<uint64_t>(end_ - p_)) return false;
        std::string_view s(p_, n);
        p_ += n;
        // Text must be well-formed UTF-8 (RFC 8949 3.1), as Coral's CBOR parser insists.
        if (major == 3 && !IsValidUtf8(s)) return false;
        *out = major == 2 ? MakeBlob(s) : Json(std::string(s));
        return true;
      }
      case 4: {
        *out = Json::array();
        for (uint64_t i = 0; i < n; ++i) {
          Json e;
          if (!Item(&e, depth + 1)) return false;
          out->push_back(std::move(e));
        }
        return true;
      }
      case 5: {
        *out = Json::object();
        for (uint64_t i = 0; i < n; ++i) {
          if (!Pair(out, depth)) return false;
        }
        return true;
      }
      case 6:  // tag: keep the tagged value
        return Item(out, depth + 1);
    }
    return false;
  }

  bool AtEnd() const { return p_ == end_; }

 private:
  bool Argument(int info, uint64_t* n) {
    if (info < 24) {
      *n = static_cast<uint64_t>(info);
      return true;
    }
    int size = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0;
    if (size == 0 || end_ - p_ < size) return false;
    uint64_t v = 0;
    for (int i = 0; i < size; ++i) v = (v << 8) | static_cast<uint8_t>(*p_++);
    *n = v;
    return true;
  }

  bool Simple(int info, Json* out) {
    switch (info) {
      case 20:
        *out = false;
        return true;
      case 21:
        *out = true;
        return true;
      case 22:
      case 23:
        *out = nullptr;
        return true;
      case 25: {
        if (end_ - p_ < 2) return false;
        const uint16_t h = static_cast<uint16_t>((static_cast<uint8_t>(p_[0]) << 8) | static_cast<uint8_t>(p_[1]));
        p_ += 2;
        const int exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
        double v = exp == 0    ? std::ldexp(mant, -24)
                   : exp != 31 ? std::ldexp(mant + 1024, exp - 25)
                               : (mant ? NAN : INFINITY);
        *out = (h & 0x8000) ? -v : v;
        return true;
      }
      case 26: {
        uint64_t bits;
        if (!Argument(26, &bits)) return false;
        float f;
        uint32_t b32 = static_cast<uint32_t>(bits);
        std::memcpy(&f, &b32, 4);
        *out = static_cast<double>(f);
        return true;
      }
      case 27: {
        uint64_t bits;
        if (!Argument(27, &bits)) return false;
        double d;
        std::memcpy(&d, &bits, 8);
        *out = d;
        return true;
      }
    }
    return false;
  }

  bool Break() {
    if (p_ < end_ && static_cast<uint8_t>(*p_) == 0xff) {
      ++p_;
      return true;
    }
    return false;
  }

  bool Indefinite(int major, Json* out, int depth) {
    if (major == 2 || major == 3) {  // chunks of the same major type, definite length each
      std::string joined;
      while (!Break()) {
        if (p_ >= end_ || (static_cast<uint8_t>(*p_) >> 5) != major || (static_cast<uint8_t>(*p_) & 0x1f) == 31)
          return false;
        Json chunk;
        if (!Item(&chunk, depth + 1)) return false;
        if (major == 2) {
          const auto& bin = chunk.get_binary();
          joined.append(reinterpret_cast<const char*>(bin.data()), bin.size());
        } else {
          joined += chunk.get<std::string>();
        }
      }
      *out = major == 2 ? MakeBlob(joined) : Json(joined);
      return true;
    }
    if (major == 4) {
      *out = Json::array();
      while (!Break()) {
        Json e;
        if (!Item(&e, depth + 1)) return false;
        out->push_back(std::move(e));
      }
      return true;
    }
    if (major == 5) {
      *out = Json::object();
      while (!Break()) {
        if (!Pair(out, depth)) return false;
      }
      return true;
    }
    return false;
  }

  bool Pair(Json* object, int depth) {
    Json key, value;
    if (!Item(&key, depth + 1) || !key.is_string() || !Item(&value, depth + 1)) return false;
    (*object)[key.get<std::string>()] = std::move(value);
    return true;
  }

  const char* p_;
  const char* end_;
  int max_depth_;
};

}  // namespace

std::optional<Json> ReadCbor(std::string_view bytes, int max_depth) {
  Reader reader(bytes, max_depth);
  Json out;
  if (!reader.Item(&out, 0) || !reader.AtEnd()) return std::nullopt;
  return out;
}

}  // namespace kemu::api
