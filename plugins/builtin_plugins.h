// The built-in fault plugins. builtin_plugins.def is the one explicit list; each server calls
// RegisterBuiltinPlugins on its own registry (no static self-registration, so two servers in one process stay
// independent).
#pragma once

#include "kemu/fault_plugin.h"

namespace kemu::plugins {

void RegisterBuiltinPlugins(PluginRegistry& registry);

// One per plugin folder, declared from the list.
#define KEMU_PLUGIN(name) PluginInfo name##Plugin();
#include "builtin_plugins.def"
#undef KEMU_PLUGIN

}  // namespace kemu::plugins
