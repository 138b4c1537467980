// The explicit list of implemented actions (actions.def, one line each): every operation of the API model. An
// operation that is not listed answers UnknownOperationException. SubscribeToShard's handler starts a Subscription
// (subscription.h) that the HTTP layer streams.
#pragma once

#include <span>
#include <string_view>

#include "actions/action.h"

namespace kemu::actions {

struct ActionEntry {
  std::string_view name;
  ActionHandler handler;
};

std::span<const ActionEntry> ActionTable();
const ActionEntry* FindAction(std::string_view name);

// Handlers, one per file in this folder.
#define KEMU_ACTION(name) Result<Json> name(ActionContext& ctx, const Json& in);
#include "actions/actions.def"
#undef KEMU_ACTION

}  // namespace kemu::actions
