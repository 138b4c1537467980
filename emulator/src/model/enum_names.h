// A table of an enum's values and their API-model names, looked up both ways (model/stream_state.cc,
// model/account_settings.cc). Tables are small, so a linear scan is the fastest lookup.
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace kemu {

template <typename E, std::size_t N>
using EnumNames = std::array<std::pair<E, std::string_view>, N>;

// The value's name; empty when the table lacks it.
template <typename E, std::size_t N>
std::string_view NameOf(const EnumNames<E, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "";
}

// The value named `name`; nullopt when the table has no such name.
template <typename E, std::size_t N>
std::optional<E> ValueOf(const EnumNames<E, N>& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

}  // namespace kemu
