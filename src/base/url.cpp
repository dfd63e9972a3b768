#include "base/url.hpp"

#include <algorithm>
#include <cctype>

#include "base/text.hpp"

namespace reddalert::base {

namespace {

// scheme://userinfo@host:port/path, cut where RFC 3986 cuts it. A URL without a scheme
// (which libcurl would guess at) is all authority and path.
struct Parts {
  std::string_view scheme;     // without "://"; empty when there is none
  std::string_view userinfo;   // without the '@'
  bool has_userinfo = false;   // "@" present, even with an empty userinfo
  std::string_view authority;  // host and port
  std::string_view rest;       // path, query and fragment
};

Parts split(std::string_view url) {
  Parts p;
  std::size_t start = 0;
  if (const std::size_t sep = url.find("://"); sep != std::string_view::npos) {
    const std::string_view scheme = url.substr(0, sep);
    const bool valid = !scheme.empty() && std::isalpha(static_cast<unsigned char>(scheme[0])) &&
                       std::all_of(scheme.begin(), scheme.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
                       });
    if (valid) {
      p.scheme = scheme;
      start = sep + 3;
    }
  }
  const std::size_t end = std::min(url.find_first_of("/?#", start), url.size());
  std::string_view authority = url.substr(start, end - start);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    p.userinfo = authority.substr(0, at);
    p.has_userinfo = true;
    authority = authority.substr(at + 1);
  }
  p.authority = authority;
  p.rest = url.substr(end);
  return p;
}

std::string prefix(const Parts& p) { return p.scheme.empty() ? std::string() : std::string(p.scheme) + "://"; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string redact_url(std::string_view url) {
  const Parts p = split(url);
  if (!p.has_userinfo) return std::string(url);
  return prefix(p) + "***@" + std::string(p.authority) + std::string(p.rest);
}

std::string redact_url_path(std::string_view url) {
  const Parts p = split(url);
  const bool path = !p.rest.empty() && p.rest != "/";
  return prefix(p) + (p.has_userinfo ? "***@" : "") + std::string(p.authority) + (path ? "/..." : "");
}

std::string mask_url_secrets(std::string_view text) {
  std::string out(text);
  // A URL ends at a space, a quote or YAML/JSON punctuation that cannot be in it unquoted.
  const auto ends = [](char c) {
    return static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '\'' || c == ',' || c == '}' || c == ']' ||
           c == 0x7f;
  };
  for (std::size_t at = text.find("://"); at != std::string_view::npos; at = text.find("://", at + 3)) {
    std::size_t i = at + 3;
    std::size_t end = i;
    while (end < text.size() && !ends(text[end])) ++end;
    const std::string_view rest = text.substr(i, end - i);
    const std::size_t host_end = std::min(rest.find_first_of("/?#"), rest.size());
    const std::size_t at_sign = rest.substr(0, host_end).rfind('@');
    if (at_sign != std::string_view::npos) {
      const std::size_t colon = rest.substr(0, at_sign).find(':');
      if (colon != std::string_view::npos) std::fill(out.begin() + i + colon + 1, out.begin() + i + at_sign, '*');
    }
    if (host_end + 1 < rest.size()) std::fill(out.begin() + i + host_end + 1, out.begin() + end, '*');
  }
  return out;
}

std::string url_problem(std::string_view url, const std::vector<std::string>& schemes) {
  const std::string allowed = join(schemes, "://, ") + "://";
  if (std::any_of(url.begin(), url.end(), [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; }))
    return "it contains a space or a control character";
  const Parts p = split(url);
  if (p.scheme.empty()) return "it is not an absolute URL; it must start with " + allowed;
  if (std::find(schemes.begin(), schemes.end(), lower(p.scheme)) == schemes.end())
    return "its scheme is " + lower(p.scheme) + "://; only " + allowed + " are allowed";
  if (p.authority.empty()) return "it names no host";
  return {};
}

std::string url_kind(const std::vector<std::string>& schemes) {
  std::string out = "an ";
  for (std::size_t i = 0; i < schemes.size(); ++i)
    out += (i == 0 ? "" : i + 1 == schemes.size() ? " or " : ", ") + schemes[i] + "://";
  return out + " URL";
}

std::string with_password(std::string_view url, std::string_view password) {
  const Parts p = split(url);
  const std::string_view user = p.userinfo.substr(0, p.userinfo.find(':'));
  std::string encoded;
  for (const char c : password) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' || c == '~')
      encoded += c;
    else
      encoded += "%" + hex_byte(static_cast<unsigned char>(c));
  }
  return prefix(p) + std::string(user) + ":" + encoded + "@" + std::string(p.authority) + std::string(p.rest);
}

}  // namespace reddalert::base
