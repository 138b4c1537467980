// ReadJson must accept exactly what nlohmann-json's strict parser accepts and build the same value (same types:
// unsigned/signed/float), so the request path behaves as before. Checked on hand-picked cases and on random
// mutations of request-shaped documents.
#include "api/json_reader.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace kemu::api {
namespace {

// Same acceptance and, when accepted, the same value with the same number types.
void ExpectSameAsNlohmann(const std::string& text) {
  Json reference = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  std::optional<Json> ours = ReadJson(text);
  if (reference.is_discarded()) {
    EXPECT_FALSE(ours.has_value()) << "accepted what nlohmann rejects: " << testing::PrintToString(text);
    return;
  }
  ASSERT_TRUE(ours.has_value()) << "rejected what nlohmann accepts: " << testing::PrintToString(text);
  EXPECT_EQ(ours->dump(), reference.dump()) << testing::PrintToString(text);
  // dump() prints 1 and 1u alike: compare the number types too, element by element.
  std::vector<std::pair<const Json*, const Json*>> pending{{&*ours, &reference}};
  while (!pending.empty()) {
    auto [a, b] = pending.back();
    pending.pop_back();
    ASSERT_EQ(a->type(), b->type()) << testing::PrintToString(text);
    if (a->is_structured()) {
      ASSERT_EQ(a->size(), b->size());
      auto ia = a->begin();
      for (auto ib = b->begin(); ib != b->end(); ++ia, ++ib) pending.push_back({&*ia, &*ib});
    }
  }
}

TEST(JsonReaderTest, AgreesWithNlohmannOnHandPickedCases) {
  const std::vector<std::string> cases = {
      "",
      " ",
      "{}",
      "[]",
      " { } ",
      "{\"a\":1}",
      "{\"a\":1,}",
      "[1,]",
      "[,1]",
      "{,}",
      "{\"a\"}",
      "{\"a\":}",
      "{\"a\" : [1, 2 ,3 ] , \"b\":{\"c\":null}}",
      "{\"a\":1}{",
      "{\"a\":1} x",
      "{\"a\":1}\n\t\r ",
      "{'a':1}",
      "{a:1}",
      "[true,false,null]",
      "[tru]",
      "[nul]",
      "[True]",
      "[nulll]",
      // numbers
      "0",
      "-0",
      "01",
      "-01",
      "1.",
      ".5",
      "1.5",
      "-1.5e3",
      "1e",
      "1e+",
      "1E-2",
      "1e400",
      "-1e400",
      "1e-400",
      "18446744073709551615",
      "18446744073709551616",
      "9223372036854775807",
      "-9223372036854775808",
      "-9223372036854775809",
      "123456789012345678901234567890",
      "-",
      "+1",
      "0x10",
      "1.0",
      "[1.25e2]",
      "NaN",
      "Infinity",
      "[-]",
      "[0e0]",
      "[2.5E+10]",
      // strings and escapes
      "\"abc\"",
      "\"a\\\"b\"",
      "\"\\\\\\/\\b\\f\\n\\r\\t\"",
      "\"\\x\"",
      "\"\\u0041\"",
      "\"\\u00e9\\u20AC\"",
      "\"\\u0000\"",
      "\"\\ud83d\\ude00\"",
      "\"\\ud83d\"",
      "\"\\ud83dx\"",
      "\"\\ude00\"",
      "\"\\ud83d\\u0041\"",
      "\"\\u12\"",
      "\"\\u12g4\"",
      "\"unterminated",
      "\"tab\there\"",
      "\"nl\nhere\"",
      "\"\x7f\"",
      "\"caf\xc3\xa9\"",
      "\"\xe2\x82\xac\"",
      "\"\xf0\x9f\x98\x80\"",
      "\"\xc3\"",
      "\"\xc0\xaf\"",
      "\"\xc1\xbf\"",
      "\"\xe0\x80\xaf\"",
      "\"\xed\xa0\x80\"",
      "\"\xf4\x90\x80\x80\"",
      "\"\xf5\x80\x80\x80\"",
      "\"\xff\"",
      "\"\x80\"",
      "\"\xef\xbf\xbf\"",
      "\"\xf4\x8f\xbf\xbf\"",
      // byte order mark
      "\xef\xbb\xbf{}",
      "\xef\xbb{}",
      "\xef{}",
      " \xef\xbb\xbf{}",
      // duplicate keys keep the last value
      "{\"a\":1,\"a\":[2]}",
      "{\"a\":{\"b\":1},\"a\":{\"c\":2}}",
      // nesting
      std::string(1000, '[') + std::string(1000, ']'),
      std::string(1000, '[') + std::string(999, ']'),
      "[[[],[[]],{}],{\"x\":[{}]}]",
      // NUL bytes
      std::string("[1,\0]", 5),
      std::string("\"a\0b\"", 5),
      std::string("{}\0", 3),
      std::string("{} \0x", 4),
      std::string("\0", 1),
  };
  for (const auto& c : cases) ExpectSameAsNlohmann(c);
}

TEST(JsonReaderTest, DeepNestingDoesNotRecurse) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  auto parsed = ReadJson(deep, 1'000'000);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(parsed->is_array());
}

// kMaxNestingDepth (1000) arrays and objects may nest, as Jackson allows; one more is refused.
TEST(JsonReaderTest, NestingBeyondTheLimitIsRefused) {
  auto nested = [](int n, const char* open, const char* close) {
    std::string s;
    for (int i = 0; i < n; ++i) s += open;
    for (int i = 0; i < n; ++i) s += close;
    return s;
  };
  EXPECT_TRUE(ReadJson(nested(1000, "[", "]")));
  EXPECT_FALSE(ReadJson(nested(1001, "[", "]")));
  EXPECT_TRUE(ReadJson(nested(999, "{\"a\":", "}").insert(999 * 5, "{}")));
  EXPECT_FALSE(ReadJson(nested(1000, "{\"a\":", "}").insert(1000 * 5, "{}")));
  EXPECT_FALSE(ReadJson(std::string(200000, '[') + std::string(200000, ']')));
}

TEST(JsonReaderTest, AgreesWithNlohmannOnMutatedRequests) {
  const std::vector<std::string> seeds = {
      R"({"StreamName":"orders","PartitionKey":"pk-1","Data":"aGVsbG8gd29ybGQ=","ExplicitHashKey":"12"})",
      R"({"StreamName":"s","Records":[{"PartitionKey":"a","Data":"AAEC"},{"PartitionKey":"\u00e9","Data":""}]})",
      R"({"ShardIterator":"AAAA/+==","Limit":10000,"Timestamp":1.5e9,"X":[true,false,null,-0.25,-7]})",
      R"({"Tags":{"k":"v","k2":"\"quoted\"\\"},"N":18446744073709551615,"M":-9223372036854775808})",
  };
  const std::string alphabet = "{}[]\":,\\ /0123456789-+.eEtrufalsn\x01\x7f\xc3\xa9\xed\xf0\x80\xbf\xef\xbb";
  std::mt19937 rng(20261201);
  for (int i = 0; i < 20000; ++i) {
    std::string doc = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !doc.empty(); ++e) {
      const size_t at = rng() % doc.size();
      switch (rng() % 3) {
        case 0:
          doc[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          doc.erase(at, 1 + rng() % 3);
          break;
        default:
          doc.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
      }
    }
    ExpectSameAsNlohmann(doc);
    if (HasFailure()) return;
  }
}

}  // namespace
}  // namespace kemu::api
