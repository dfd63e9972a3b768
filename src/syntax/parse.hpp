// Text -> AST. The only module that uses PEGTL.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

// The words of the grammar, read from its rules (grammar/errors.hpp, first_words): the
// reserved words, those a policy item starts with (`title` ... `details`) and the
// quantifiers. The language server completes them; the error messages name them.
struct GrammarWords {
  std::vector<std::string> reserved;
  std::vector<std::string> policy_items;
  std::vector<std::string> quantifiers;
};
const GrammarWords& grammar_words();

// Problems pegtl::analyze finds in the grammar (left recursion, rules that can loop
// without consuming); 0 for a sound grammar.
std::size_t analyze_grammar(bool verbose);

}  // namespace reddalert::syntax
