// Small text helpers shared by every stage.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reddalert::base {

std::string expand_tabs(std::string_view line);
// Two upper-case hex digits: 0xC3 -> "C3".
std::string hex_byte(unsigned char b);
// The offset of the first byte that is not part of valid UTF-8 (no overlong forms, no
// surrogates, nothing above U+10FFFF), or nullopt when all of `s` is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view s);
// `s` with each byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string to_valid_utf8(std::string_view s);
std::size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate within a small edit distance, or empty.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
// "did you mean `x`?" or empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
std::string join(const std::vector<std::string>& parts, std::string_view separator);
// `s` with & < > " escaped, for XML and HTML text and attributes.
std::string xml_escape(std::string_view s);
// "512MiB", "1GiB", "64KiB", "1000000" (bytes) -> bytes; nullopt for anything else.
std::optional<std::size_t> parse_bytes(std::string_view text);

}  // namespace reddalert::base
