// EmulatedKms: the AWS KMS that server-side encryption talks to, reduced to
// what Kinesis needs.
//
// Known keys: the AWS-managed alias/aws/kinesis (always, in every account and
// region) and the keys declared with
// --kms-keys (key ids, key ARNs, alias names or alias ARNs). A KeyId resolves
// to a canonical "key reference" (the key or alias ARN in the caller's account
// and region); each reference has its own 256-bit data key, created on first
// use and kept in the Store like the token secret, so encrypted records stay
// readable after a restart. Record data is sealed in AES-256-GCM envelopes
// (model/kms_envelope.h) bound to the key reference.
//
// Ownership: borrows the Store, which must outlive it.
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kemu/status.h"
#include "store/store.h"

namespace kemu {

class EmulatedKms {
 public:
  EmulatedKms(Store& store, const std::vector<std::string>& declared_keys);

  // The key reference for `key_id` as used by a stream of `account` in
  // `region`, or the KMS error AWS gives: KMSNotFoundException for a key or
  // alias KMS does not know, KMSAccessDeniedException for an undeclared key of
  // another account.
  Result<std::string> Resolve(const std::string& account, const std::string& region, const std::string& key_id) const;

  Result<std::string> Encrypt(const std::string& key_ref, std::string_view plaintext);
  Result<std::string> Decrypt(const std::string& key_ref, std::string_view envelope);

 private:
  Result<std::string> DataKey(const std::string& key_ref);
  bool Declared(std::initializer_list<std::string_view> names) const;

  Store& store_;
  std::set<std::string, std::less<>> declared_;
  std::mutex mu_;
  std::map<std::string, std::string> data_keys_;  // key reference -> data key
};

}  // namespace kemu
