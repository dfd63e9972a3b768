// Error text for the grammar in policy.hpp, kept apart from the rules.
//   expected_name<Rule>: how a syntax error names the token that could have come here.
//   shape_hint<Rule>:    the shape of the construct a commit point (if_must) belongs to,
//                        shown as the hint of an error raised inside it.
//   binds<Rule>:         rules whose `name` binds one (a reserved word there is E0015).
//   encloses<Rule>:      rules that open and close a bracket (a missing closer is E0016).
//   first_words<Rules...>(): the words rules start with (a misspelled keyword's did-you-mean).
#pragma once

#include <string>
#include <vector>

#include "policy.hpp"

namespace reddalert::grammar {

template <typename Rule>
inline constexpr const char* expected_name = nullptr;

template <>
inline constexpr const char* expected_name<lparen> = "`(`";
template <>
inline constexpr const char* expected_name<rparen> = "`)`";
template <>
inline constexpr const char* expected_name<lbracket> = "`[`";
template <>
inline constexpr const char* expected_name<rbracket> = "`]`";
template <>
inline constexpr const char* expected_name<lbrace> = "`{`";
template <>
inline constexpr const char* expected_name<rbrace> = "`}`";
template <>
inline constexpr const char* expected_name<comma> = "`,`";
template <>
inline constexpr const char* expected_name<colon> = "`:`";
template <>
inline constexpr const char* expected_name<assign> = "`=`";
template <>
inline constexpr const char* expected_name<field_access> = "`.`";
template <>
inline constexpr const char* expected_name<kw_in> = "`in`";
template <>
inline constexpr const char* expected_name<kw_then> = "`then`";
template <>
inline constexpr const char* expected_name<kw_else> = "`else`";
template <>
inline constexpr const char* expected_name<kw_reddalert> = "the language header `reddalert 1`";
template <>
inline constexpr const char* expected_name<version_number> = "a language version number";
template <>
inline constexpr const char* expected_name<primary> = "an expression";
template <>
inline constexpr const char* expected_name<name> = "a name";
template <>
inline constexpr const char* expected_name<field_name> = "a field name";
template <>
inline constexpr const char* expected_name<policy_name> = "a policy name (lower-case letters, digits, `_`, `-`)";
template <>
inline constexpr const char* expected_name<plain_string> = "a string";
template <>
inline constexpr const char* expected_name<op_mul> = "an operator";
template <>
inline constexpr const char* expected_name<op_add> = "an operator";
template <>
inline constexpr const char* expected_name<op_compare> = "an operator";
template <>
inline constexpr const char* expected_name<op_coalesce> = "an operator";
template <>
inline constexpr const char* expected_name<kw_and> = "an operator";
template <>
inline constexpr const char* expected_name<kw_or> = "an operator";
template <>
inline constexpr const char* expected_name<policy_item> =
    "a policy item (`title`, `severity`, `param`, `for`, `let`, `where`, `alert`, `message`, `details`)";
template <>
inline constexpr const char* expected_name<declaration> = "a declaration (`import`, `const`, `def`, `let`, `policy`)";
template <>
inline constexpr const char* expected_name<string_end> = "`\"` (a string ends on the line it starts)";
template <>
inline constexpr const char* expected_name<raw_end> = "`'` (a string ends on the line it starts)";
template <>
inline constexpr const char* expected_name<regex_end> = "`/` to end the regular expression";
template <>
inline constexpr const char* expected_name<interpolation_end> = "`}` to end the interpolation";

// Rules whose name stands for every token tried at their start position.
template <typename Rule>
inline constexpr bool summarises = false;
template <>
inline constexpr bool summarises<primary> = true;
template <>
inline constexpr bool summarises<declaration> = true;
template <>
inline constexpr bool summarises<policy_item> = true;

// Rules whose nesting is limited (each level is a recursion of the parser).
template <typename Rule>
inline constexpr bool nests = false;
template <>
inline constexpr bool nests<expr> = true;
template <>
inline constexpr bool nests<not_expr> = true;
template <>
inline constexpr bool nests<unary> = true;

// Rules tried only as look-ahead (`not_at<keyword>`): their failures are not reported.
template <typename Rule>
inline constexpr bool quiet = false;
template <>
inline constexpr bool quiet<keyword> = true;

// Rules whose `name` binds a new name: a reserved word found there was meant as a name.
// Inside them an `expr` binds nothing (the name a lambda or a call starts with is no binder).
template <typename Rule>
inline constexpr bool binds = false;
template <>
inline constexpr bool binds<const_decl> = true;
template <>
inline constexpr bool binds<def_decl> = true;
template <>
inline constexpr bool binds<def_params> = true;
template <>
inline constexpr bool binds<let_decl> = true;
template <>
inline constexpr bool binds<param_item> = true;
template <>
inline constexpr bool binds<for_clause> = true;
template <>
inline constexpr bool binds<let_clause> = true;
template <>
inline constexpr bool binds<comp_tail> = true;
template <>
inline constexpr bool binds<quantifier> = true;

// Rules that open a bracket and close it: every `lparen`, `lbracket` and `lbrace` is inside
// one, so the opener a missing closer belongs to is the last one opened in the innermost.
template <typename Rule>
inline constexpr bool encloses = false;
template <>
inline constexpr bool encloses<paren> = true;
template <>
inline constexpr bool encloses<list_expr> = true;
template <>
inline constexpr bool encloses<map_expr> = true;
template <>
inline constexpr bool encloses<call> = true;
template <>
inline constexpr bool encloses<quantifier> = true;
template <>
inline constexpr bool encloses<index_access> = true;
template <>
inline constexpr bool encloses<def_decl> = true;
template <>
inline constexpr bool encloses<policy_decl> = true;

// The words a rule can start with, read from the rules themselves (`first_words<policy_item>()`
// is `title`, `severity`, ..., `details`), so that a did-you-mean offers what the grammar takes.
namespace words {
template <char... Cs>
void add(std::vector<std::string>& out, const p::ascii::string<Cs...>* /*rule*/);
template <typename... Rules>
void add(std::vector<std::string>& out, const p::sor<Rules...>* /*rule*/);
template <typename First, typename... Rest>
void add(std::vector<std::string>& out, const p::seq<First, Rest...>* /*rule*/);
template <typename Cond, typename... Thens>
void add(std::vector<std::string>& out, const p::if_must<Cond, Thens...>* /*rule*/);

template <char... Cs>
void add(std::vector<std::string>& out, const p::ascii::string<Cs...>* /*rule*/) {
  out.push_back(std::string{Cs...});
}
template <typename... Rules>
void add(std::vector<std::string>& out, const p::sor<Rules...>* /*rule*/) {
  (add(out, static_cast<const Rules*>(nullptr)), ...);
}
template <typename First, typename... Rest>
void add(std::vector<std::string>& out, const p::seq<First, Rest...>* /*rule*/) {
  add(out, static_cast<const First*>(nullptr));
}
template <typename Cond, typename... Thens>
void add(std::vector<std::string>& out, const p::if_must<Cond, Thens...>* /*rule*/) {
  add(out, static_cast<const Cond*>(nullptr));
}
}  // namespace words

template <typename... Rules>
std::vector<std::string> first_words() {
  std::vector<std::string> out;
  (words::add(out, static_cast<const Rules*>(nullptr)), ...);
  return out;
}

template <typename Rule>
inline constexpr const char* shape_hint = nullptr;

template <>
inline constexpr const char* shape_hint<header> = "every policy file starts with the language header `reddalert 1`";
template <>
inline constexpr const char* shape_hint<import_decl> = "an import is `import \"relative/path.policy\"`";
template <>
inline constexpr const char* shape_hint<const_decl> = "a constant is `const NAME = expression`";
template <>
inline constexpr const char* shape_hint<def_decl> = "a function is `def NAME(a, b) = expression`";
template <>
inline constexpr const char* shape_hint<let_decl> = "a run-scoped value is `let NAME = expression`";
template <>
inline constexpr const char* shape_hint<policy_decl> =
    "a policy is `policy NAME { title \"...\" severity high ... for x in aws.X ... alert ... message ... }`";
template <>
inline constexpr const char* shape_hint<param_item> = "a parameter is `param NAME = default`";
template <>
inline constexpr const char* shape_hint<for_clause> = "a loop is `for NAME in SOURCE`";
template <>
inline constexpr const char* shape_hint<let_clause> = "a binding is `let NAME = expression`";
template <>
inline constexpr const char* shape_hint<where_clause> = "a filter is `where CONDITION`";
template <>
inline constexpr const char* shape_hint<conditional> = "a conditional is `if CONDITION then A else B`";
template <>
inline constexpr const char* shape_hint<interpolation> =
    "`{expr}` inside a string inserts a value; write `\\{` for a literal brace";
template <>
inline constexpr const char* shape_hint<collection> = "a collection is `aws.NAME`, `view.NAME` or `group.NAME`";
template <>
inline constexpr const char* shape_hint<list_expr> = "a list is `[a, b]` or `[expr for x in xs if cond]`";
template <>
inline constexpr const char* shape_hint<map_expr> = "a map is `{key: value}` or `{k: v for x in xs if cond}`";
template <>
inline constexpr const char* shape_hint<call> = "a call is `name(argument, ...)`";

}  // namespace reddalert::grammar
