#include "builtin_plugins.h"

namespace kemu::plugins {

void RegisterBuiltinPlugins(PluginRegistry& registry) {
#define KEMU_PLUGIN(name) registry.Add(name##Plugin());
#include "builtin_plugins.def"
#undef KEMU_PLUGIN
}

}  // namespace kemu::plugins
