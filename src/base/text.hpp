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
// The first line of `s`, cut to `max` bytes ("..." then): a message from elsewhere, in one line.
std::string first_line(std::string_view s, std::size_t max = 200);
// RFC 4648 base64, with padding.
std::string base64(std::string_view bytes);
// The bytes RFC 4648 base64 `text` encodes; white space (line breaks of wrapped text) is
// skipped and padding may be left out. nullopt for any other character, misplaced padding
// or a length no encoder writes.
std::optional<std::string> base64_decode(std::string_view text);
// Text for a cell of a Markdown table: `|` escaped (it would end the cell), `<` and `>` as
// entities (no text becomes HTML).
std::string markdown_cell(std::string_view s);
// Text inside a code span of a cell: `|` escaped only (entities would show as written there).
std::string markdown_code_cell(std::string_view s);
// `s` with & < > " escaped, for XML and HTML text and attributes.
std::string xml_escape(std::string_view s);
// "512MiB", "1GiB", "64KiB", "1000000" (bytes) -> bytes; nullopt for anything else, and
// for sizes that do not fit in a size_t.
std::optional<std::size_t> parse_bytes(std::string_view text);
// The other way round, in the largest unit that divides it: 1 << 20 -> "1MiB", 1000 -> "1000B".
std::string format_bytes(std::size_t bytes);

}  // namespace reddalert::base
