// textDocument/completion. What is offered depends on the text just before the cursor:
// after `x.` the fields of what the checker inferred `x` to be (its collection's schema);
// after `in ` (and `in changed `) the collections; elsewhere the grammar's words (the
// reserved words, the quantifiers, inside a policy its items), the builtins and the names
// in scope there.
//
// A buffer being typed often does not parse (`where g.` has no field name yet). The field
// context is therefore analysed with the `.` and the partial name blanked out (spaces, so
// every offset stays put): `where g` parses, and the type of the expression just before
// the dot is the checker's. When even that does not parse (another error elsewhere in the
// buffer), the last analysis of the document that parsed is used, and the name before the
// dot is looked up there by name, nearest line first.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "lsp/analysis.hpp"

namespace reddalert::lsp {

using Analyze = std::function<std::shared_ptr<const Analysis>(const std::string& text)>;

// A CompletionList. `current`: the document's analysis; `last_good`: its last analysis that
// parsed (may be null or the same); `analyze`: how to analyse another text as this document.
nlohmann::json completion(const Analysis& current, const Analysis* last_good, std::size_t offset,
                          const Analyze& analyze);

}  // namespace reddalert::lsp
