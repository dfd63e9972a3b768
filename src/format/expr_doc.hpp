// Internal to format/: expressions as layout documents.
#pragma once

#include <string>

#include "ast/ast.hpp"
#include "format/layout.hpp"

namespace reddalert::format {

// `e` in a place where the grammar takes any expression (a clause, an argument, ...).
Doc expression_doc(const ast::Expr& e);
// `e` on one line, however long (inside `{...}` of a template string).
std::string flat(const ast::Expr& e);
// The text of a template-string part with its escapes: \" \\ \{ \} \n \t.
std::string escape_template_text(const std::string& s);

}  // namespace reddalert::format
