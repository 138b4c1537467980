#include "api/record_list.h"

#include <array>

#include "api/cbor_writer.h"
#include "api/json_writer.h"
#include "util/base64.h"

namespace kemu::api {
namespace {

enum class Field { kSequenceNumber, kArrival, kData, kPartitionKey, kEncryptionType, kUnknown };

// The Record shape's members in model order, each tied to the field of a stored record that fills it.
struct Plan {
  struct Entry {
    Field field;
    const Shape::Member* member;
  };
  std::array<Entry, 8> entries{};
  size_t size = 0;
  size_t keys_bytes = 0;  // all JSON keys together
};

Field FieldOf(std::string_view name) {
  if (name == "SequenceNumber") return Field::kSequenceNumber;
  if (name == "ApproximateArrivalTimestamp") return Field::kArrival;
  if (name == "Data") return Field::kData;
  if (name == "PartitionKey") return Field::kPartitionKey;
  if (name == "EncryptionType") return Field::kEncryptionType;
  return Field::kUnknown;
}

Plan MakePlan(const Shape& record) {
  Plan plan;
  for (const auto& m : record.members) {
    const Field f = FieldOf(m.name);
    // A member the stored records have no value for is absent, as a missing member is to the generic encoder.
    if (f == Field::kUnknown || plan.size == plan.entries.size()) continue;
    plan.entries[plan.size++] = {f, &m};
    plan.keys_bytes += m.json_key.size() + m.name.size() + 2;
  }
  return plan;
}

bool Present(Field f, const RecordBatchView::Record& r) { return f != Field::kEncryptionType || !r.key_ref.empty(); }

// An upper bound of the encoded size but for escapes in partition keys (the string grows if needed).
size_t EstimateSize(const Plan& plan, RecordBatchView records) {
  size_t total = 16;
  for (const auto& r : records) {
    total += plan.keys_bytes + kMaxSequenceNumberDigits + 48 + (r.data.size() + 2) / 3 * 4 + r.partition_key.size();
  }
  return total;
}

constexpr std::string_view kKms = "KMS";

}  // namespace

Json RecordListValue(RecordBatch batch) { return Json::binary(std::move(batch).TakeBuffer(), kRecordListSubtype); }

std::optional<RecordBatchView> AsRecordList(const Json& value) {
  if (!value.is_binary()) return std::nullopt;
  const auto& bin = value.get_binary();
  if (!bin.has_subtype() || bin.subtype() != kRecordListSubtype || !RecordBatch::IsBuffer(bin)) return std::nullopt;
  return RecordBatchView(bin);
}

Json ExpandRecordList(const Json& value) {
  auto records = AsRecordList(value);
  if (!records) return value;
  Json list = Json::array();
  for (const auto& r : *records) {
    Json rec = Json::object();
    rec["SequenceNumber"] = EncodeSequenceNumber(records->SequenceParts(r));
    rec["ApproximateArrivalTimestamp"] = r.arrival_ms;
    rec["Data"] = MakeBlob(r.data);
    rec["PartitionKey"] = std::string(r.partition_key);
    if (!r.key_ref.empty()) rec["EncryptionType"] = std::string(kKms);
    list.push_back(std::move(rec));
  }
  return list;
}

void WriteRecordListJson(const Shape& record, RecordBatchView records, std::string& out) {
  const Plan plan = MakePlan(record);
  out.reserve(out.size() + EstimateSize(plan, records));
  out.push_back('[');
  bool first_record = true;
  for (const auto& r : records) {
    out.append(first_record ? "{" : ",{", first_record ? 1 : 2);
    first_record = false;
    bool first = true;
    for (size_t i = 0; i < plan.size; ++i) {
      const auto& [field, member] = plan.entries[i];
      if (!Present(field, r)) continue;
      if (!first) out.push_back(',');
      first = false;
      out += member->json_key;
      switch (field) {
        case Field::kSequenceNumber: {
          char digits[kMaxSequenceNumberDigits];
          const size_t n = FormatSequenceNumber(records.SequenceParts(r), digits);
          out.push_back('"');
          out.append(digits, n);
          out.push_back('"');
          break;
        }
        case Field::kArrival:
          AppendEpochSeconds(r.arrival_ms, out);
          break;
        case Field::kData:
          out.push_back('"');
          Base64EncodeAppend(r.data, out);
          out.push_back('"');
          break;
        case Field::kPartitionKey:
          AppendJsonString(r.partition_key, out);
          break;
        case Field::kEncryptionType:
          AppendJsonString(kKms, out);
          break;
        case Field::kUnknown:
          break;
      }
    }
    out.push_back('}');
  }
  out.push_back(']');
}

void WriteRecordListCbor(const Shape& record, RecordBatchView records, std::string& out) {
  const Plan plan = MakePlan(record);
  out.reserve(out.size() + EstimateSize(plan, records));
  cbor::Head(4, records.size(), out);
  for (const auto& r : records) {
    size_t present = 0;
    for (size_t i = 0; i < plan.size; ++i) present += Present(plan.entries[i].field, r) ? 1 : 0;
    cbor::Head(5, present, out);
    for (size_t i = 0; i < plan.size; ++i) {
      const auto& [field, member] = plan.entries[i];
      if (!Present(field, r)) continue;
      cbor::Text(member->name, out);
      switch (field) {
        case Field::kSequenceNumber: {
          char digits[kMaxSequenceNumberDigits];
          cbor::Text(std::string_view(digits, FormatSequenceNumber(records.SequenceParts(r), digits)), out);
          break;
        }
        case Field::kArrival:
          cbor::Head(6, 1, out);  // tag 1, epoch time, with integer milliseconds
          cbor::Int(r.arrival_ms, out);
          break;
        case Field::kData:
          cbor::Bytes(r.data, out);
          break;
        case Field::kPartitionKey:
          cbor::Text(r.partition_key, out);
          break;
        case Field::kEncryptionType:
          cbor::Text(kKms, out);
          break;
        case Field::kUnknown:
          break;
      }
    }
  }
}

}  // namespace kemu::api
