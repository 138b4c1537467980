#include "builtin_plugins.h"

namespace kemu::plugins {

void RegisterBuiltinPlugins(PluginRegistry& registry) {
  registry.Add(ConnectionResetPlugin());
  registry.Add(ErrorPlugin());
  registry.Add(ExpiredIteratorPlugin());
  registry.Add(KmsFailurePlugin());
  registry.Add(LatencyPlugin());
  registry.Add(MergeShardsPlugin());
  registry.Add(PartialFailurePlugin());
  registry.Add(SplitShardPlugin());
  registry.Add(ThrottlePlugin());
}

}  // namespace kemu::plugins
