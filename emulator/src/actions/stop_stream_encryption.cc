// StopStreamEncryption: new records are stored in plaintext again; records
// written while encrypted stay encrypted at rest and are still decrypted on
// read.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> StopStreamEncryption(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  const std::string type = *OptString(in, "EncryptionType");
  KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(Backend::RequireActive(s));
    if (type != "KMS") {
      return InvalidArgument("Encryption type " + type + " is not supported by StopStreamEncryption; use KMS.");
    }
    s.encryption_type = EncryptionType::kNone;
    s.key_id.clear();
    s.key_ref.clear();
    ctx.backend.MarkUpdating(s);
    return Status::Ok();
  }));
  return Json::object();
}

}  // namespace kemu::actions
