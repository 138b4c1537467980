// PutResourcePolicy: attaches a resource policy (a JSON document) to a stream
// or a consumer, replacing any.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> PutResourcePolicy(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(ResourceRef ref, ParseResourceArn(*OptString(in, "ResourceARN")));
  const std::string policy = *OptString(in, "Policy");
  Json doc = Json::parse(policy, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return InvalidArgument("Policy for resource " + ref.arn + " is not a valid JSON policy document.");
  }
  KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(ref.stream, [&](StreamInfo& s) -> Status {
    ResourceFields fields = FieldsOf(s, ref);
    if (fields.policy == nullptr) return ResourceNotFound(ref);
    if (ref.consumer) {
      // A consumer takes a policy once it is ACTIVE (cloudformation-coverage-roadmap#2442).
      const ConsumerInfo* consumer = s.FindConsumer(*ref.consumer);
      if (consumer != nullptr && consumer->status != ConsumerStatus::kActive) {
        return Status(ErrorCode::kResourceInUse, "Consumer " + consumer->name + " with creation timestamp " +
                                                     std::to_string(consumer->created_ms / 1000) + " under stream " +
                                                     s.name + " and account " + s.account +
                                                     " is not in ACTIVE status.");
      }
    }
    *fields.policy = policy;
    return Status::Ok();
  }));
  return Json::object();
}

}  // namespace kemu::actions
