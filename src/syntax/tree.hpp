// Internal to syntax/: the parse-tree selector and the lowering entry points.
#pragma once

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "ast/ast.hpp"
#include "base/diagnostic.hpp"
#include "grammar/policy.hpp"

namespace reddalert::syntax {

namespace g = reddalert::grammar;
namespace pt = tao::pegtl::parse_tree;
using Node = pt::node;

template <typename Rule>
using Selector = pt::selector<
    Rule,
    pt::store_content::on<g::number_text, g::duration_text, g::lit_null, g::lit_true, g::lit_false, g::template_string,
                          g::string_chars, g::escape, g::interpolation, g::raw_string, g::raw_chars, g::regex,
                          g::regex_chars, g::identifier, g::field_name, g::policy_name, g::list_expr, g::comp_tail,
                          g::comp_filter, g::map_expr, g::map_entry, g::map_key_word, g::collection, g::changed_flag,
                          g::collection_kind, g::quantifier, g::quantifier_kind, g::call, g::field_access,
                          g::index_access, g::projection, g::negate, g::op_mul, g::op_add, g::op_range,
                          g::op_not_matches, g::op_matches, g::op_not_within, g::op_within, g::op_not_in, g::op_in,
                          g::op_compare, g::negation, g::op_coalesce, g::conditional, g::lambda, g::header,
                          g::version_number, g::import_decl, g::const_decl, g::def_decl, g::let_decl, g::meta_item,
                          g::meta_key, g::param_item, g::for_clause, g::let_clause, g::where_clause, g::alert_clause,
                          g::message_clause, g::key_clause, g::details_clause, g::policy_decl, g::paren>,
    pt::fold_one::on<g::expr, g::not_expr, g::unary, g::primary, g::declaration, g::policy_item, g::name,
                     g::plain_string, g::postfix, g::multiplicative, g::additive, g::range_expr, g::matching,
                     g::containment, g::membership, g::comparison, g::and_expr, g::or_expr, g::coalesce>>;

// How deep an expression may nest, counted over every level of its tree: parentheses and
// brackets for the parser, which recurses on them, and every operator for the AST (a chain
// `a + b + ... + z` is a left-nested tree as deep as it is long), over which the checker,
// the compiler, the evaluator and the printers recurse. Past it: E0006 at the place.
constexpr int kMaxNesting = 200;
// E0006 at `at`.
base::Diagnostic too_deep(const base::Location& at);

// Parse-tree -> AST. Semantic problems found while lowering (unsupported header
// version, misplaced policy items) go to `diags`; nullopt (or null) when an expression nests
// deeper than kMaxNesting, and only part of its tree was made.
// Node ids are numbered from `first_id` in the order nodes are made.
std::optional<ast::Module> lower_module(const Node& root, base::SourcePtr file, ast::NodeId first_id,
                                        base::Diagnostics& diags);
ast::ExprPtr lower_expression(const Node& root, base::SourcePtr file, ast::NodeId first_id, base::Diagnostics& diags);

}  // namespace reddalert::syntax
