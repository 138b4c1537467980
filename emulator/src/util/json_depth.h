// A linear pre-scan of JSON text for its nesting depth, run before a request
// body is parsed.
//
// nlohmann's parser keeps its own stack and frees deep values without
// recursion, but copying and dumping a parsed value recurse once per level: a
// fault rule whose params nest 200k levels deep overflowed a connection
// thread's stack when the rule was copied and rendered. Bodies nested deeper
// than a small limit are refused before they are parsed. The scan skips string
// contents (escapes included) and does not otherwise validate.
//
// Thread-safety: pure function.
#pragma once

#include <cstddef>
#include <string_view>

namespace kemu {

// Deepest nesting the admin endpoint accepts (a fault rule is 3 levels deep).
constexpr size_t kMaxJsonNesting = 64;

// True when `text` opens more than `max_depth` arrays/objects without closing
// them.
bool JsonNestingExceeds(std::string_view text, size_t max_depth);

}  // namespace kemu
