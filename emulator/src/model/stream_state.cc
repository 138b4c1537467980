#include "model/stream_state.h"

#include "model/enum_names.h"

namespace kemu {

namespace {

// One table per enum: its values with their model names, in the model's order.
constexpr EnumNames<StreamStatus, 4> kStreamStatuses{{
    {StreamStatus::kCreating, "CREATING"},
    {StreamStatus::kDeleting, "DELETING"},
    {StreamStatus::kActive, "ACTIVE"},
    {StreamStatus::kUpdating, "UPDATING"},
}};
constexpr EnumNames<ConsumerStatus, 3> kConsumerStatuses{{
    {ConsumerStatus::kCreating, "CREATING"},
    {ConsumerStatus::kDeleting, "DELETING"},
    {ConsumerStatus::kActive, "ACTIVE"},
}};
constexpr EnumNames<StreamMode, 2> kStreamModes{{
    {StreamMode::kProvisioned, "PROVISIONED"},
    {StreamMode::kOnDemand, "ON_DEMAND"},
}};
constexpr EnumNames<EncryptionType, 2> kEncryptionTypes{{
    {EncryptionType::kNone, "NONE"},
    {EncryptionType::kKms, "KMS"},
}};

}  // namespace

std::string_view ToString(StreamStatus status) { return NameOf(kStreamStatuses, status); }
std::string_view ToString(ConsumerStatus status) { return NameOf(kConsumerStatuses, status); }
std::string_view ToString(StreamMode mode) { return NameOf(kStreamModes, mode); }
std::string_view ToString(EncryptionType type) { return NameOf(kEncryptionTypes, type); }

std::optional<StreamStatus> ParseStreamStatus(std::string_view name) { return ValueOf(kStreamStatuses, name); }
std::optional<ConsumerStatus> ParseConsumerStatus(std::string_view name) { return ValueOf(kConsumerStatuses, name); }
std::optional<StreamMode> ParseStreamMode(std::string_view name) { return ValueOf(kStreamModes, name); }
std::optional<EncryptionType> ParseEncryptionType(std::string_view name) { return ValueOf(kEncryptionTypes, name); }

}  // namespace kemu
