#include "http/http1_request_parser.h"

#include <cstring>

#include "http/request_target.h"

namespace kemu {
namespace {

bool IsTokenChar(char c) {
  // RFC 9110 tchar
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (CaseInsensitiveLess::Fold(a[i]) != CaseInsensitiveLess::Fold(b[i])) return false;
  }
  return true;
}

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True when the comma-separated list `value` holds `token` (case-insensitive).
bool ListContains(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const size_t comma = value.find(',');
    if (EqualsIgnoreCase(TrimWhitespace(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

// The last element of a comma-separated list.
std::string_view LastListElement(std::string_view value) {
  const size_t comma = value.rfind(',');
  return TrimWhitespace(comma == std::string_view::npos ? value : value.substr(comma + 1));
}

// Next line of the head (without CRLF or a bare LF). False at the end of `bytes`.
bool NextLine(std::string_view bytes, size_t* pos, std::string_view* line) {
  const size_t lf = bytes.find('\n', *pos);
  if (lf == std::string_view::npos) return false;
  size_t end = lf;
  if (end > *pos && bytes[end - 1] == '\r') --end;
  *line = bytes.substr(*pos, end - *pos);
  *pos = lf + 1;
  return true;
}

Http1ParseResult Invalid(Http1ParseError* error, int status, std::string reason) {
  error->status = status;
  error->reason = std::move(reason);
  return Http1ParseResult::kInvalid;
}

bool ParseLength(std::string_view text, size_t* out) {
  if (text.empty() || text.size() > 18) return false;
  size_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  *out = n;
  return true;
}

}  // namespace

Http1ParseResult ParseHttp1RequestHead(std::string_view bytes, Http1RequestHead* head, size_t* head_size,
                                       Http1ParseError* error) {
  // RFC 9112 2.2: empty lines before the request line are ignored.
  size_t pos = 0;
  while (pos < bytes.size() && (bytes[pos] == '\r' || bytes[pos] == '\n')) ++pos;
  // Nothing is parsed until the whole head is there, so a head arriving in pieces costs one scan per piece.
  // The head ends at the first empty line, whether its lines end in CRLF or a bare LF.
  size_t end = bytes.find("\n\r\n", pos);
  if (end != std::string_view::npos) end += 3;
  if (size_t lf = bytes.find("\n\n", pos);
      lf != std::string_view::npos && (end == std::string_view::npos || lf + 2 < end)) {
    end = lf + 2;
  }
  if (end == std::string_view::npos) {
    // The request line alone can already be judged: refuse garbage without waiting for a head that never ends.
    const size_t first_lf = bytes.find('\n', pos);
    std::string_view first =
        bytes.substr(pos, first_lf == std::string_view::npos ? std::string_view::npos : first_lf - pos);
    size_t i = 0;
    while (i < first.size() && IsTokenChar(first[i])) ++i;
    if (i < first.size() && first[i] != ' ') return Invalid(error, 400, "malformed request line");
    return Http1ParseResult::kIncomplete;
  }
  const std::string_view text = bytes.substr(0, end);

  std::string_view line;
  NextLine(text, &pos, &line);
  // request-line = method SP request-target SP HTTP-version
  const size_t sp1 = line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos || sp1 == 0 || sp2 == sp1 + 1 ||
      line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Invalid(error, 400, "malformed request line");
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  for (char c : method) {
    if (!IsTokenChar(c)) return Invalid(error, 400, "malformed method");
  }
  for (char c : target) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return Invalid(error, 400, "malformed request target");
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
      version[5] > '9' || version[7] < '0' || version[7] > '9') {
    return Invalid(error, 400, "malformed HTTP version");
  }
  if (version[5] != '1') return Invalid(error, 505, "only HTTP/1.x requests are served on an HTTP/1 connection");

  HttpRequest& req = head->request;
  req.method.assign(method);
  req.http_version = version[7] == '0' ? "1.0" : "1.1";
  ParseRequestTarget(target, &req.path, &req.query);
  head->keep_alive = version[7] != '0';

  bool has_length = false;
  bool chunked = false;
  bool has_transfer_encoding = false;
  while (NextLine(text, &pos, &line) && !line.empty()) {
    if (line.front() == ' ' || line.front() == '\t') return Invalid(error, 400, "obsolete header line folding");
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Invalid(error, 400, "malformed header field");
    const std::string_view name = line.substr(0, colon);
    for (char c : name) {
      if (!IsTokenChar(c)) return Invalid(error, 400, "malformed header field name");
    }
    const std::string_view value = TrimWhitespace(line.substr(colon + 1));
    for (char c : value) {
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) {
        return Invalid(error, 400, "control character in a header field");
      }
    }
    if (EqualsIgnoreCase(name, "Content-Length")) {
      size_t length = 0;
      if (!ParseLength(value, &length)) return Invalid(error, 400, "malformed Content-Length");
      if (has_length && length != head->content_length) return Invalid(error, 400, "conflicting Content-Length");
      has_length = true;
      head->content_length = length;
    } else if (EqualsIgnoreCase(name, "Transfer-Encoding")) {
      has_transfer_encoding = true;
      chunked = EqualsIgnoreCase(LastListElement(value), "chunked");
      if (!chunked) return Invalid(error, 501, "unsupported Transfer-Encoding");
    } else if (EqualsIgnoreCase(name, "Connection")) {
      if (ListContains(value, "close")) head->keep_alive = false;
      if (ListContains(value, "keep-alive") && req.http_version == "1.0") head->keep_alive = true;
    } else if (EqualsIgnoreCase(name, "Expect")) {
      if (!EqualsIgnoreCase(value, "100-continue")) return Invalid(error, 417, "unsupported expectation");
      head->expect_continue = true;
    }
    auto [it, inserted] = req.headers.try_emplace(std::string(name), value);
    if (!inserted) {
      it->second += ", ";  // a repeated field is the comma-joined list of its values (RFC 9110 5.3)
      it->second.append(value);
    }
  }
  if (has_transfer_encoding && has_length) return Invalid(error, 400, "both Content-Length and Transfer-Encoding");
  head->body = chunked                                  ? Http1RequestHead::Body::kChunked
               : has_length && head->content_length > 0 ? Http1RequestHead::Body::kLength
                                                        : Http1RequestHead::Body::kNone;
  if (head->body == Http1RequestHead::Body::kNone) head->expect_continue = false;
  *head_size = end;
  return Http1ParseResult::kComplete;
}

bool ChunkedBodyDecoder::TakeLine(std::string_view& in, std::string_view* line) {
  constexpr size_t kMaxLine = 4096;  // a chunk-size line with extensions, or one trailer field
  const size_t lf = in.find('\n');
  if (lf == std::string_view::npos) {
    partial_line_.append(in);
    in = {};
    if (partial_line_.size() > kMaxLine) partial_line_.resize(kMaxLine + 1);  // reported at the line's end
    return false;
  }
  partial_line_.append(in.substr(0, lf));
  in.remove_prefix(lf + 1);
  if (!partial_line_.empty() && partial_line_.back() == '\r') partial_line_.pop_back();
  *line = partial_line_;
  return true;
}

ChunkedBodyDecoder::Result ChunkedBodyDecoder::Feed(std::string_view& in, std::string& body) {
  while (true) {
    switch (state_) {
      case State::kSize: {
        std::string_view line;
        if (!TakeLine(in, &line)) return Result::kNeedMore;
        const std::string_view digits = TrimWhitespace(line.substr(0, line.find(';')));
        if (digits.empty() || digits.size() > 15) return Result::kInvalid;
        size_t size = 0;
        for (char c : digits) {
          const int v = HexDigitValue(c);
          if (v < 0) return Result::kInvalid;
          size = size * 16 + static_cast<size_t>(v);
        }
        partial_line_.clear();
        if (size > max_body_bytes_ || body.size() > max_body_bytes_ - size) return Result::kTooLarge;
        chunk_left_ = size;
        state_ = size == 0 ? State::kTrailer : State::kData;
        break;
      }
      case State::kData: {
        if (in.empty()) return Result::kNeedMore;
        const size_t n = std::min(chunk_left_, in.size());
        body.append(in.substr(0, n));
        in.remove_prefix(n);
        chunk_left_ -= n;
        if (chunk_left_ == 0) state_ = State::kDataEnd;
        break;
      }
      case State::kDataEnd: {
        std::string_view line;
        if (!TakeLine(in, &line)) return Result::kNeedMore;
        const bool empty = line.empty();
        partial_line_.clear();
        if (!empty) return Result::kInvalid;
        state_ = State::kSize;
        break;
      }
      case State::kTrailer: {
        std::string_view line;
        if (!TakeLine(in, &line)) return Result::kNeedMore;
        const bool last = line.empty();
        const bool too_long = line.size() > 4096;
        partial_line_.clear();
        if (too_long) return Result::kInvalid;
        if (last) {
          state_ = State::kDone;
          return Result::kDone;
        }
        break;
      }
      case State::kDone:
        return Result::kDone;
    }
  }
}

}  // namespace kemu
