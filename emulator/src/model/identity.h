// Who is calling: the account (12-digit access key id, else the configured one) and the signing region. The
// transport derives it (http/auth.h); the actions address streams with it.
//
// Thread-safety: a value type.
#pragma once

#include <string>

namespace kemu {

struct Identity {
  std::string account;
  std::string region;
};

}  // namespace kemu
