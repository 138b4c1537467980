// StartStreamEncryption: new records of the stream are stored encrypted under
// the named KMS key (key id, key ARN, alias name or alias ARN;
// alias/aws/kinesis always exists) and decrypted on read. A key the emulated
// KMS does not know gives KMSNotFoundException (KMSAccessDeniedException for
// another account's key).
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> StartStreamEncryption(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  const std::string type = *OptString(in, "EncryptionType");
  const std::string key_id = *OptString(in, "KeyId");
  KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(Backend::RequireActive(s));
    if (type != "KMS") {
      return InvalidArgument("Encryption type " + type + " is not supported by StartStreamEncryption; use KMS.");
    }
    KEMU_ASSIGN_OR_RETURN(s.key_ref, ctx.backend.kms().Resolve(key.account, key.region, key_id));
    s.encryption_type = EncryptionType::kKms;
    s.key_id = key_id;
    ctx.backend.MarkUpdating(s);
    return Status::Ok();
  }));
  return Json::object();
}

}  // namespace kemu::actions
