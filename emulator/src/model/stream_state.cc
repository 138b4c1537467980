#include "model/stream_state.h"

#include <array>
#include <utility>

namespace kemu {

namespace {

// One table per enum: its values with their model names, in the model's order.
constexpr std::array<std::pair<StreamStatus, std::string_view>, 4> kStreamStatuses{{
    {StreamStatus::kCreating, "CREATING"},
    {StreamStatus::kDeleting, "DELETING"},
    {StreamStatus::kActive, "ACTIVE"},
    {StreamStatus::kUpdating, "UPDATING"},
}};
constexpr std::array<std::pair<ConsumerStatus, std::string_view>, 3> kConsumerStatuses{{
    {ConsumerStatus::kCreating, "CREATING"},
    {ConsumerStatus::kDeleting, "DELETING"},
    {ConsumerStatus::kActive, "ACTIVE"},
}};
constexpr std::array<std::pair<StreamMode, std::string_view>, 2> kStreamModes{{
    {StreamMode::kProvisioned, "PROVISIONED"},
    {StreamMode::kOnDemand, "ON_DEMAND"},
}};
constexpr std::array<std::pair<EncryptionType, std::string_view>, 2> kEncryptionTypes{{
    {EncryptionType::kNone, "NONE"},
    {EncryptionType::kKms, "KMS"},
}};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "";
}

template <typename E, size_t N>
std::optional<E> ValueOf(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view name) {
  for (const auto& [v, n] : table) {
    if (n == name) return v;
  }
  return std::nullopt;
}

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
