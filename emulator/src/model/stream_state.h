// The states and modes of streams and consumers, as types. The API model's enum strings appear only in
// ToString and Parse*, used where a value crosses the wire or the Store.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace kemu {

enum class StreamStatus { kCreating, kDeleting, kActive, kUpdating };
enum class ConsumerStatus { kCreating, kDeleting, kActive };
enum class StreamMode { kProvisioned, kOnDemand };
enum class EncryptionType { kNone, kKms };

// The model's names: "CREATING", "ON_DEMAND", "KMS", ...
std::string_view ToString(StreamStatus status);
std::string_view ToString(ConsumerStatus status);
std::string_view ToString(StreamMode mode);
std::string_view ToString(EncryptionType type);

// nullopt for a name the model does not define.
std::optional<StreamStatus> ParseStreamStatus(std::string_view name);
std::optional<ConsumerStatus> ParseConsumerStatus(std::string_view name);
std::optional<StreamMode> ParseStreamMode(std::string_view name);
std::optional<EncryptionType> ParseEncryptionType(std::string_view name);

}  // namespace kemu
