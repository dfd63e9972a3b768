// Text -> AST. The only module that uses PEGTL.
#pragma once

#include <optional>

#include "ast/ast.hpp"
#include "base/diagnostic.hpp"

namespace reddalert::syntax {

// The language versions this engine reads.
inline constexpr int kSupportedVersions[] = {1};

struct ParseResult {
  std::optional<ast::Module> module;  // empty when the file has a syntax error
  base::Diagnostics diagnostics;
};

// Node ids start at `first_id` (ids are dense over the files loaded together).
ParseResult parse(base::SourcePtr file, ast::NodeId first_id = 0);

struct ExpressionResult {
  ast::ExprPtr expr;  // null on a syntax error
  base::Diagnostics diagnostics;
};

// One expression and nothing else (tests, documentation examples).
ExpressionResult parse_expression(base::SourcePtr file, ast::NodeId first_id = 0);

// Problems pegtl::analyze finds in the grammar (left recursion, rules that can loop
// without consuming); 0 for a sound grammar.
std::size_t analyze_grammar(bool verbose);

}  // namespace reddalert::syntax
