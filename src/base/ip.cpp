#include "base/ip.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace reddalert::base {

namespace {

u128 mask_hi(int bits, int prefix) {
  // host bits set
  const int host = bits - prefix;
  if (host <= 0) return 0;
  if (host >= 128) return ~u128(0);
  return (u128(1) << host) - 1;
}

}  // namespace

std::optional<IpRange> parse_ip_range(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string addr(text.substr(0, slash));
  IpRange r;
  if (addr.find(':') != std::string::npos) {
    unsigned char buf[16];
    if (inet_pton(AF_INET6, addr.c_str(), buf) != 1) return std::nullopt;
    r.family = 6;
    for (const unsigned char b : buf) r.lo = (r.lo << 8) | b;
    r.prefix = 128;
  } else {
    unsigned char buf[4];
    if (inet_pton(AF_INET, addr.c_str(), buf) != 1) return std::nullopt;
    r.family = 4;
    for (const unsigned char b : buf) r.lo = (r.lo << 8) | b;
    r.prefix = 32;
  }
  const int bits = r.family == 4 ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    int prefix = -1;
    if (p.empty() || std::from_chars(p.data(), p.data() + p.size(), prefix).ptr != p.data() + p.size())
      return std::nullopt;
    if (prefix < 0 || prefix > bits) return std::nullopt;
    r.prefix = prefix;
  }
  const u128 host = mask_hi(bits, r.prefix);
  r.lo &= ~host;
  r.hi = r.lo | host;
  return r;
}

std::string format_ip_range(const IpRange& r) {
  char out[INET6_ADDRSTRLEN] = {};
  if (r.family == 4) {
    unsigned char buf[4];
    for (int i = 3, k = 0; i >= 0; --i, ++k) buf[k] = static_cast<unsigned char>(r.lo >> (8 * i));
    inet_ntop(AF_INET, buf, out, sizeof out);
  } else {
    unsigned char buf[16];
    for (int i = 15, k = 0; i >= 0; --i, ++k) buf[k] = static_cast<unsigned char>(r.lo >> (8 * i));
    inet_ntop(AF_INET6, buf, out, sizeof out);
  }
  return std::string(out) + "/" + std::to_string(r.prefix);
}

bool is_private_range(const IpRange& r) {
  static const char* const kPrivate[] = {"10.0.0.0/8",  "172.16.0.0/12",  "192.168.0.0/16",
                                         "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10",
                                         "fc00::/7",    "fe80::/10",      "::1/128"};
  for (const char* p : kPrivate) {
    if (parse_ip_range(p)->contains(r)) return true;
  }
  return false;
}

}  // namespace reddalert::base
