// Shared by the request fuzz targets: a selector byte picks one of the model's operations (in name order), so every
// operation's input shape is reached (a new operation is covered without editing a target). tests/fuzz/make_seeds.py
// writes seeds in the same order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "api/api_model.h"

namespace kemu::fuzz {

inline const api::Operation& OperationFor(uint8_t selector) {
  static const std::vector<std::string> names = [] {
    auto all = api::ApiModel::Kinesis().OperationNames();
    std::sort(all.begin(), all.end());  // a stable order, so a saved input keeps meaning the same operation
    return all;
  }();
  const api::Operation* op = api::ApiModel::Kinesis().FindOperation(names[selector % names.size()]);
  if (op == nullptr || op->input == nullptr) __builtin_trap();
  return *op;
}

}  // namespace kemu::fuzz
