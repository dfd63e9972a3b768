// SHA-256, for policy and alert fingerprints (no crypto library needed for a digest).
#pragma once

#include <string>
#include <string_view>

namespace reddalert::base {

// Lower-case hex digest of `data`.
std::string sha256_hex(std::string_view data);
// The same 64 characters appended to `out`.
void append_sha256_hex(std::string& out, std::string_view data);

namespace detail {
// The digest without the processor's SHA extensions, as machines without them compute it
// (tests compare the two).
std::string sha256_hex_portable(std::string_view data);
}  // namespace detail

}  // namespace reddalert::base
