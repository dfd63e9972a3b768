// textDocument/publishDiagnostics: lint's diagnostics of a document, as lint sorts them,
// with their code, severity, message and hint, ranged in UTF-16 positions, and their notes
// as related information.
#pragma once

#include <nlohmann/json.hpp>

#include "lsp/analysis.hpp"

namespace reddalert::lsp {

// The params of a publishDiagnostics notification for `uri`: the diagnostics located in
// the document, and those of other files that have a note in it (at the note); the rest
// (an imported file's own, the configuration's) belong to those files.
nlohmann::json publish_diagnostics(const std::string& uri, const Analysis& a);

}  // namespace reddalert::lsp
