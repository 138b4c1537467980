#include "actions/action_table.h"

#include <array>

namespace kemu::actions {
namespace {

constexpr std::array kActions = {
#define KEMU_ACTION(name) ActionEntry{#name, &name},
#include "actions/actions.def"
#undef KEMU_ACTION
};

}  // namespace

std::span<const ActionEntry> ActionTable() { return kActions; }

const ActionEntry* FindAction(std::string_view name) {
  for (const auto& e : kActions) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

}  // namespace kemu::actions
