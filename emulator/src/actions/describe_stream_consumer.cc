// DescribeStreamConsumer: one consumer, by ConsumerARN or by StreamARN and
// ConsumerName.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> DescribeStreamConsumer(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(FoundConsumer found, FindConsumer(ctx, in));
  return Json{{"ConsumerDescription", ConsumerJson(found.consumer, &found.stream)}};
}

}  // namespace kemu::actions
