// The Records list of GetRecords and of a SubscribeToShardEvent as a normalized value.
//
// An action puts RecordListValue(batch) where the output has a list of the model's Record shape. The value is
// the RecordBatch's buffer carried whole as a Json binary with a subtype of its own (no Json object, map node or
// blob copy per record); the wire encoders (api/json_encoder.h, api/cbor_encoder.h) recognize it in a list position and
// hand it to the writers below, which produce the same bytes the generic encoder would produce from
// ExpandRecordList(value): members in the order of the model's Record shape, SequenceNumber derived from the batch's
// sequence-number base, ApproximateArrivalTimestamp from the arrival time, Data, PartitionKey, and EncryptionType "KMS"
// for records stored encrypted.
//
// Thread-safety: stateless functions; a value is read-only while it is encoded.
#pragma once

#include <optional>
#include <string>

#include "api/api_model.h"
#include "api/json.h"
#include "model/record_batch.h"

namespace kemu::api {

// Marks a Json binary as a record list (the value nlohmann's binary subtype carries).
constexpr uint8_t kRecordListSubtype = 0x6b;

// The batch (with its sequence-number base set) as a normalized list value.
Json RecordListValue(RecordBatch batch);
// The records carried by `value`, or nullopt when it is not a record list. The view borrows `value`.
std::optional<RecordBatchView> AsRecordList(const Json& value);
// The same list as ordinary normalized Json: an array of Record objects (tests, and code that edits outputs).
// Any other value is returned as it is.
Json ExpandRecordList(const Json& value);

// Appends the list in the JSON 1.1 encoding; `record` is the list's member shape (the model's Record).
void WriteRecordListJson(const Shape& record, RecordBatchView records, std::string& out);
// Appends the list in the CBOR encoding (Data as a byte string, the timestamp as tag 1 with milliseconds).
void WriteRecordListCbor(const Shape& record, RecordBatchView records, std::string& out);

}  // namespace kemu::api
