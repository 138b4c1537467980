#include "api/api_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>

namespace kemu::api {
namespace {

TEST(ApiModelTest, HasAllOperations) {
  EXPECT_EQ(ApiModel::Kinesis().OperationNames().size(), 39u);
  EXPECT_EQ(ApiModel::Kinesis().target_prefix(), "Kinesis_20131202");
}

// Decoding, validation and rendering recurse along the input shape, never along the request: that is bounded only
// while no input shape contains itself. A model update that adds a recursive shape fails here, not in production.
TEST(ApiModelTest, InputShapesAreAcyclicAndShallow) {
  const auto& model = ApiModel::Kinesis();
  std::function<int(const Shape*, int)> depth = [&](const Shape* s, int level) -> int {
    if (level > 16) return level;  // a cycle, or a model far deeper than any Kinesis request
    int deepest = level;
    for (const auto& m : s->members) deepest = std::max(deepest, depth(m.shape, level + 1));
    for (const Shape* child : {s->member, s->key, s->value}) {
      if (child != nullptr) deepest = std::max(deepest, depth(child, level + 1));
    }
    return deepest;
  };
  for (const auto& name : model.OperationNames()) {
    EXPECT_LE(depth(model.FindOperation(name)->input, 0), 4) << name;
  }
}

}  // namespace
}  // namespace kemu::api
