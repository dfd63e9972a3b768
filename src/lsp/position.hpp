// LSP positions (0-based line, UTF-16 code units; LSP 3.17 "Position", the default
// position encoding) against base::SourceFile's (1-based line, column in characters).
// The one place the server converts between them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "base/source_file.hpp"

namespace reddalert::lsp {

// {"line", "character"} of 1-based `line` and character `column` of `file`.
nlohmann::json position(const base::SourceFile& file, std::uint32_t line, std::uint32_t column);
// {"start", "end"} of a location (one line: column to column + length).
nlohmann::json range(const base::Location& location);
// The range of the whole text, from its start to its end.
nlohmann::json whole_range(const base::SourceFile& file);
// The byte offset of an LSP position in `file`: a line past the end is the end of the
// text, a character past the line's end is the line's end, and a character inside a
// surrogate pair is the pair's code point.
std::size_t offset(const base::SourceFile& file, const nlohmann::json& position);

// `file://` URIs and paths (RFC 8089, percent-encoded as RFC 3986 says).
std::string uri_of(const std::string& path);
// The path of a `file:` URI; empty for another scheme.
std::string path_of(const std::string& uri);

}  // namespace reddalert::lsp
