// gzip (RFC 1952) inflation, bounded: user data that cloud-init reads may be compressed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace reddalert::base {

// Whether `bytes` begin with gzip's magic number (1f 8b).
bool is_gzip(std::string_view bytes);

// The bytes the gzip stream `bytes` holds, or nullopt when it is not a whole gzip stream or
// inflates to more than `limit` bytes (a small input can claim gigabytes).
std::optional<std::string> gunzip(std::string_view bytes, std::size_t limit);

}  // namespace reddalert::base
