// SHA-256, for policy and alert fingerprints (no crypto library needed for a digest).
#pragma once

#include <string>
#include <string_view>

namespace reddalert::base {

// Lower-case hex digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace reddalert::base
