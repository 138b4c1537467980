// The built-in fault plugins. RegisterBuiltinPlugins is the one explicit list; each server calls it on its own
// registry (no static self-registration, so two servers in one process stay independent).
#pragma once

#include "kemu/fault_plugin.h"

namespace kemu::plugins {

void RegisterBuiltinPlugins(PluginRegistry& registry);

// One per plugin folder.
PluginInfo ConnectionResetPlugin();
PluginInfo ErrorPlugin();
PluginInfo ExpiredIteratorPlugin();
PluginInfo KmsFailurePlugin();
PluginInfo LatencyPlugin();
PluginInfo MergeShardsPlugin();
PluginInfo PartialFailurePlugin();
PluginInfo SplitShardPlugin();
PluginInfo ThrottlePlugin();

}  // namespace kemu::plugins
