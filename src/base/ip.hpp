// IPv4 and IPv6 addresses and CIDR blocks as integer ranges.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace reddalert::base {

__extension__ typedef unsigned __int128 u128;

// An IP address or CIDR block: every address from `lo` to `hi`. IPv4 and IPv6 are
// separate families and never contain one another.
struct IpRange {
  int family = 4;  // 4 or 6
  u128 lo = 0;
  u128 hi = 0;
  int prefix = 32;

  bool contains(const IpRange& other) const { return family == other.family && lo <= other.lo && other.hi <= hi; }
  bool overlaps(const IpRange& other) const { return family == other.family && lo <= other.hi && other.lo <= hi; }
};

// "10.0.0.1", "10.0.0.0/8", "2001:db8::/32"; a bare address is a /32 or /128. Host bits
// are allowed and cleared ("10.1.2.3/8" is 10.0.0.0/8).
std::optional<IpRange> parse_ip_range(std::string_view text);
// Normal form: "10.0.0.0/8", "10.0.0.1/32", "2001:db8::/32".
std::string format_ip_range(const IpRange& r);
// RFC 1918, loopback, link-local, CGNAT (100.64/10), unique-local (fc00::/7) and their
// IPv6 equivalents: the whole range lies inside one of them.
bool is_private_range(const IpRange& r);

}  // namespace reddalert::base
