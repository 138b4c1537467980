// Fuzz target: shard-iterator and NextToken decoding. The input is tried twice: as a token string (base64 and
// MAC checks in TokenCodec::Open, then DecodeShardIterator), and sealed with the codec's key so the payload
// reader (TokenReader) sees arbitrary bytes behind a valid MAC.
#include <cstddef>
#include <cstdint>
#include <string>

#include "actions/shard_iterator.h"
#include "model/token_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const kemu::TokenCodec codec(std::string(32, 'k'));
  const std::string input(reinterpret_cast<const char*>(data), size);

  (void)codec.Open(input);
  (void)kemu::actions::DecodeShardIterator(codec, input);

  const std::string sealed = codec.Seal(input);
  auto opened = codec.Open(sealed);
  if (!opened || *opened != input) __builtin_trap();  // Seal/Open must round-trip
  if (auto it = kemu::actions::DecodeShardIterator(codec, sealed)) {
    // A decoded iterator re-encodes to a token that decodes to the same iterator.
    auto again = kemu::actions::DecodeShardIterator(codec, kemu::actions::EncodeShardIterator(codec, *it));
    if (!again || again->shard_index != it->shard_index || again->next_counter != it->next_counter ||
        again->stream.name != it->stream.name) {
      __builtin_trap();
    }
  }
  kemu::TokenReader r(input);
  uint8_t u8 = 0;
  uint32_t u32 = 0;
  int64_t i64 = 0;
  std::string s;
  while (r.U8(&u8) && r.Str(&s) && r.U32(&u32) && r.I64(&i64)) {
  }
  return 0;
}
