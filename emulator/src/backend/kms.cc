#include "backend/kms.h"

#include <re2/re2.h>

#include "kemu/messages.h"
#include "model/arn.h"
#include "model/kms_envelope.h"
#include "model/stream.h"

namespace kemu {
namespace {

constexpr std::string_view kKinesisManagedAlias = "alias/aws/kinesis";

bool LooksLikeKeyId(const std::string& s) {
  static const re2::RE2 kKeyId(
      "(mrk-[0-9a-f]{32})|([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-"
      "fA-F]{4}-[0-9a-fA-F]{12})");
  return RE2::FullMatch(s, kKeyId);
}

Status NotFound(std::string message) { return Status(ErrorCode::kKmsNotFound, std::move(message)); }

}  // namespace

EmulatedKms::EmulatedKms(Store& store, const std::vector<std::string>& declared_keys)
    : store_(store), declared_(declared_keys.begin(), declared_keys.end()) {}

bool EmulatedKms::Declared(std::initializer_list<std::string_view> names) const {
  for (std::string_view n : names) {
    if (declared_.find(n) != declared_.end()) return true;
  }
  return false;
}

Result<std::string> EmulatedKms::Resolve(const std::string& account, const std::string& region,
                                         const std::string& key_id) const {
  std::string key_account = account, key_region = region, partition = PartitionOf(region), resource;
  const bool is_arn = key_id.rfind("arn:", 0) == 0;
  if (is_arn) {
    // arn:<partition>:kms:<region>:<account>:<key/id | alias/name>
    static const re2::RE2 kArn("arn:([a-z-]+):kms:([a-z0-9-]+):([0-9]{12}):((?:key|alias)/.+)");
    if (!RE2::FullMatch(key_id, kArn, &partition, &key_region, &key_account, &resource))
      return NotFound("Invalid arn " + key_id);
  } else if (key_id.rfind("alias/", 0) == 0) {
    resource = key_id;
  } else if (LooksLikeKeyId(key_id)) {
    resource = "key/" + key_id;
  } else {
    return NotFound("Invalid keyId " + key_id);
  }
  const std::string ref = "arn:" + partition + ":kms:" + key_region + ":" + key_account + ":" + resource;
  const bool alias = resource.rfind("alias/", 0) == 0;
  const std::string_view short_name =
      alias ? std::string_view(resource) : std::string_view(resource).substr(std::string_view("key/").size());
  if (alias && resource == kKinesisManagedAlias) return ref;
  if (Declared({key_id, ref, short_name})) return ref;
  if (key_account != account) {
    return Status(ErrorCode::kKmsAccessDenied, "User: arn:" + PartitionOf(region) + ":iam::" + account +
                                                   ":root is not authorized to perform: kms:GenerateDataKey "
                                                   "on resource: " +
                                                   ref +
                                                   " because no resource-based policy allows the "
                                                   "kms:GenerateDataKey action");
  }
  if (alias) return NotFound("Alias " + ref + " is not found.");
  return NotFound("Key '" + ref + "' does not exist");
}

Result<std::string> EmulatedKms::DataKey(const std::string& key_ref) {
  std::lock_guard lock(mu_);
  if (auto it = data_keys_.find(key_ref); it != data_keys_.end()) return it->second;
  KEMU_ASSIGN_OR_RETURN(std::string key, store_.Secret("kms-data-key:" + key_ref, kEnvelopeKeyBytes));
  data_keys_.emplace(key_ref, key);
  return key;
}

Result<std::string> EmulatedKms::Encrypt(const std::string& key_ref, std::string_view plaintext) {
  KEMU_ASSIGN_OR_RETURN(std::string key, DataKey(key_ref));
  auto envelope = SealEnvelope(key, key_ref, plaintext);
  if (!envelope) return Status(ErrorCode::kInternalFailure, std::string(messages::kInternalFailure));
  return std::move(*envelope);
}

Result<std::string> EmulatedKms::Decrypt(const std::string& key_ref, std::string_view envelope) {
  KEMU_ASSIGN_OR_RETURN(std::string key, DataKey(key_ref));
  auto plain = OpenEnvelope(key, key_ref, envelope);
  if (!plain) return Status(ErrorCode::kInternalFailure, std::string(messages::kInternalFailure));
  return std::move(*plain);
}

}  // namespace kemu
