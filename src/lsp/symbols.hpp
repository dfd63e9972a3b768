// textDocument/documentSymbol: the policies (their params and `for`/`let` clauses as
// children) and the top-level const, def and let declarations, in the order written.
#pragma once

#include <nlohmann/json.hpp>

#include "lsp/analysis.hpp"

namespace reddalert::lsp {

// DocumentSymbol[]; empty when the document does not parse.
nlohmann::json document_symbols(const Analysis& a);

}  // namespace reddalert::lsp
