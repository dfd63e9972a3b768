// `reddalert fmt`: the canonical layout of a policy file (docs/cli.md, "fmt"). The text is
// parsed, laid out from its syntax tree, and the comments the parser drops are found in the
// text and put back beside the declaration or policy item they were written by.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ast/ast.hpp"
#include "base/diagnostic.hpp"

namespace reddalert::format {

// The widest a formatted line should be (long expressions are broken to fit).
inline constexpr int kWidth = 100;

struct FormatResult {
  std::optional<std::string> text;  // empty when the file cannot be formatted
  base::Diagnostics diagnostics;    // the parser's, when it could not
};

// The file laid out canonically. A file with a syntax error (or a lowering error that
// loses text: a duplicate item, a bad map key or import path, an unsupported version) is
// not formatted; misplaced or missing policy items (E0011, E0013, E0014) are.
FormatResult format(const base::SourcePtr& file);

// The layout of an already parsed module whose source text is `module.source`.
std::string format_module(const ast::Module& module);

// The comments of a parsed module's text, each from `#` to the end of its line (tests).
std::vector<std::string> comments_of(const ast::Module& module);

// One expression, laid out as it would be at column `indent` (tests).
std::string format_expression(const ast::Expr& e, int indent = 0);

}  // namespace reddalert::format
