// A fast, non-cryptographic 64-bit hash for short byte strings and for combining hashes
// (interned names, hash sets of values, join indexes). Not for anything an attacker could
// exploit beyond slowing a lookup down.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace reddalert::base {

inline std::uint64_t hash_mix(std::uint64_t a, std::uint64_t b) {
  __extension__ using u128 = unsigned __int128;
  const u128 m = static_cast<u128>(a ^ 0x9e3779b97f4a7c15ULL) * static_cast<u128>(b ^ 0xbf58476d1ce4e5b9ULL);
  return static_cast<std::uint64_t>(m) ^ static_cast<std::uint64_t>(m >> 64);
}

inline std::uint64_t hash_bytes(std::string_view s) {
  std::uint64_t h = 0x243f6a8885a308d3ULL ^ s.size();
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; n -= 8, p += 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = hash_mix(h, w);
  }
  if (n > 0) {
    std::uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = hash_mix(h, w ^ (static_cast<std::uint64_t>(n) << 56));
  }
  return h;
}

}  // namespace reddalert::base
