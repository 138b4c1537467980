// UpdateMaxRecordSize: the largest record (data + partition key) PutRecord and
// PutRecords accept, 1024..10240 KiB (the range is the model's, checked before
// this handler); the stream goes UPDATING.
#include "actions/action_table.h"
#include "actions/common.h"

namespace kemu::actions {

Result<Json> UpdateMaxRecordSize(ActionContext& ctx, const Json& in) {
  KEMU_ASSIGN_OR_RETURN(StreamKey key, ResolveStream(ctx, in));
  const int kib = static_cast<int>(*OptInt(in, "MaxRecordSizeInKiB"));
  KEMU_RETURN_IF_ERROR(ctx.backend.UpdateStream(key, [&](StreamInfo& s) -> Status {
    KEMU_RETURN_IF_ERROR(Backend::RequireActive(s));
    s.max_record_size_kib = kib;
    ctx.backend.MarkUpdating(s);
    return Status::Ok();
  }));
  return Json::object();
}

}  // namespace kemu::actions
