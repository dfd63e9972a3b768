// URLs as reddalert accepts and shows them: only the schemes each peer speaks, and never
// the secrets a URL can carry (a password in its userinfo, a webhook's path) in a message,
// a log line or a file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reddalert::base {

// `url` with its userinfo replaced: http://user:pw@edda/x -> http://***@edda/x. Every URL
// that reddalert prints or records goes through this (or redact_url_path).
std::string redact_url(std::string_view url);
// Only the scheme and the host (and port): https://hooks.slack.com/services/T/B/X ->
// https://hooks.slack.com/... For URLs whose path is a bearer secret (webhooks).
std::string redact_url_path(std::string_view url);
// `text` with the secrets of every URL in it masked by `*`, byte for byte in place: the
// password of a userinfo, and everything after the host (a webhook's path is its secret).
// What a configuration file's diagnostics show of its lines.
std::string mask_url_secrets(std::string_view text);
// What EDDA, Elasticsearch and webhooks speak, and what the e-mail sink speaks.
inline const std::vector<std::string> kHttpSchemes{"http", "https"};
inline const std::vector<std::string> kSmtpSchemes{"smtp", "smtps"};
// What a proxy between reddalert and those may be (libcurl's proxy kinds).
inline const std::vector<std::string> kProxySchemes{"http", "https", "socks4", "socks4a", "socks5", "socks5h"};

// Empty when `url` is absolute, with one of `schemes` (lower-case, e.g. kHttpSchemes) and
// a host; otherwise why not, in words that name no secret of the URL.
std::string url_problem(std::string_view url, const std::vector<std::string>& schemes);
// "an http:// or https:// URL": what a message says a URL must be.
std::string url_kind(const std::vector<std::string>& schemes);
// `url` with `password` put into its userinfo, percent-encoded (RFC 3986):
// http://reddalert@edda/x + "p@ss" -> http://reddalert:p%40ss@edda/x.
std::string with_password(std::string_view url, std::string_view password);

}  // namespace reddalert::base
