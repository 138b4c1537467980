// The web console's files (emulator/src/admin/console/), embedded in the binary at build time by
// console/embed_console.cmake, so the console needs no files on disk and no network.
//
// Thread-safety: constant data.
#pragma once

#include <cstddef>
#include <string_view>

namespace kemu::console {

struct Asset {
  const char* name;          // file name, e.g. "console.js"
  const char* content_type;  // with charset for text
  const char* etag;          // quoted; changes whenever the file does
  const char* data;
  size_t size;
};

extern const Asset kAssets[];
extern const size_t kAssetCount;

// The asset called `name`, or null.
inline const Asset* FindAsset(std::string_view name) {
  for (size_t i = 0; i < kAssetCount; ++i) {
    if (name == kAssets[i].name) return &kAssets[i];
  }
  return nullptr;
}

}  // namespace kemu::console
