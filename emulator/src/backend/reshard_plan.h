// Reshard planning for UpdateShardCount (UNIFORM_SCALING): the split and merge
// steps that take a stream's open shards to a target count while every child
// keeps a valid lineage (at most two parents, adjacent ones).
//
// Doubling splits every shard at its midpoint; halving merges adjacent pairs;
// any other target repeatedly splits the widest shard or merges the narrowest
// adjacent pair until the count matches.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <vector>

#include "model/hash_key.h"

namespace kemu {

struct ReshardStep {
  enum class Kind { kSplit, kMerge };
  Kind kind = Kind::kSplit;
  // Position in the working list of open ranges (sorted by start) as it is just
  // before this step. A split replaces position p by two ranges at p and p+1; a
  // merge replaces p and p+1 by one range at p.
  size_t position = 0;
  HashKey new_starting_hash_key = 0;  // splits only
};

// `open_ranges` must be sorted by start and contiguous. Returns no steps when
// the counts already match.
std::vector<ReshardStep> PlanUniformScaling(std::vector<HashKeyRange> open_ranges, int target_count);

// Applies one step to a working list (what the Backend does to its shards, here
// on ranges only).
void ApplyReshardStep(std::vector<HashKeyRange>& ranges, const ReshardStep& step);

// The midpoint at which a split halves `range` (the start of its upper half).
HashKey SplitPoint(const HashKeyRange& range);

}  // namespace kemu
