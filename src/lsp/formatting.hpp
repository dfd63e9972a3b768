// textDocument/formatting through `fmt` (src/format/): the whole document as one TextEdit,
// none when it is formatted already or does not parse (its syntax error is a diagnostic).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace reddalert::lsp {

// TextEdit[] for the text of the document at `path`.
nlohmann::json formatting(const std::string& path, const std::string& text);

}  // namespace reddalert::lsp
