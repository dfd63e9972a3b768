// The grammar of reddalert policy files, language version 1, as PEGTL 3.2.7 rules.
// Rules only, one per line; policy.peg is the same grammar for reading. Whitespace and
// comments are folded into the token that precedes them (`_`), so they are never an
// error point. The rules that build the parse tree are listed in src/syntax/parse.cpp.
#pragma once

#include <tao/pegtl.hpp>

namespace reddalert::grammar {

namespace p = tao::pegtl;

// ---- lexical -------------------------------------------------------------------------
struct comment : p::seq<p::one<'#'>, p::until<p::eolf>> {};
struct _ : p::star<p::sor<p::space, comment>> {};
struct ident_first : p::ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : p::ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
template <typename Word>
struct key : p::seq<Word, p::not_at<ident_other>, _> {};

struct kw_reddalert : key<TAO_PEGTL_STRING("reddalert")> {};
struct kw_import : key<TAO_PEGTL_STRING("import")> {};
struct kw_const : key<TAO_PEGTL_STRING("const")> {};
struct kw_def : key<TAO_PEGTL_STRING("def")> {};
struct kw_let : key<TAO_PEGTL_STRING("let")> {};
struct kw_policy : key<TAO_PEGTL_STRING("policy")> {};
struct kw_param : key<TAO_PEGTL_STRING("param")> {};
struct kw_for : key<TAO_PEGTL_STRING("for")> {};
struct kw_in : key<TAO_PEGTL_STRING("in")> {};
struct kw_where : key<TAO_PEGTL_STRING("where")> {};
struct kw_alert : key<TAO_PEGTL_STRING("alert")> {};
struct kw_message : key<TAO_PEGTL_STRING("message")> {};
struct kw_details : key<TAO_PEGTL_STRING("details")> {};
// Not reserved: `key` names a policy item only at the start of one (like `title`).
struct kw_key : key<TAO_PEGTL_STRING("key")> {};
struct kw_not : key<TAO_PEGTL_STRING("not")> {};
struct kw_and : key<TAO_PEGTL_STRING("and")> {};
struct kw_or : key<TAO_PEGTL_STRING("or")> {};
struct kw_within : key<TAO_PEGTL_STRING("within")> {};
struct kw_matches : key<TAO_PEGTL_STRING("matches")> {};
struct kw_if : key<TAO_PEGTL_STRING("if")> {};
struct kw_then : key<TAO_PEGTL_STRING("then")> {};
struct kw_else : key<TAO_PEGTL_STRING("else")> {};
struct kw_null : key<TAO_PEGTL_STRING("null")> {};
struct kw_true : key<TAO_PEGTL_STRING("true")> {};
struct kw_false : key<TAO_PEGTL_STRING("false")> {};
struct kw_changed : key<TAO_PEGTL_STRING("changed")> {};
struct kw_aws : key<TAO_PEGTL_STRING("aws")> {};
struct kw_view : key<TAO_PEGTL_STRING("view")> {};
struct kw_group : key<TAO_PEGTL_STRING("group")> {};
struct keyword : p::sor<kw_reddalert, kw_import, kw_const, kw_def, kw_let, kw_policy, kw_param, kw_for, kw_in, kw_where,
                        kw_alert, kw_message, kw_details, kw_not, kw_and, kw_or, kw_within, kw_matches, kw_if, kw_then,
                        kw_else, kw_null, kw_true, kw_false, kw_changed, kw_aws, kw_view, kw_group> {};

struct identifier : p::seq<p::not_at<keyword>, ident_first, p::star<ident_other>> {};
struct name : p::seq<identifier, _> {};
struct field_name : p::seq<ident_first, p::star<ident_other>> {};  // keywords allowed after `.`
struct policy_name
    : p::seq<p::range<'a', 'z'>, p::star<p::sor<p::range<'a', 'z'>, p::range<'0', '9'>, p::one<'_', '-'>>>> {};

template <char C>
struct punct : p::seq<p::one<C>, _> {};
struct lparen : punct<'('> {};
struct rparen : punct<')'> {};
struct lbracket : punct<'['> {};
struct rbracket : punct<']'> {};
struct lbrace : punct<'{'> {};
struct rbrace : punct<'}'> {};
struct comma : punct<','> {};
struct colon : punct<':'> {};
struct dot : p::seq<p::one<'.'>, p::not_at<p::one<'.'>>, _> {};
struct assign : p::seq<p::one<'='>, p::not_at<p::one<'=', '>'>>, _> {};
struct arrow : p::seq<p::string<'=', '>'>, _> {};
struct star_index : p::seq<p::one<'['>, _, p::one<'*'>, _, p::one<']'>, _> {};

// ---- literals ------------------------------------------------------------------------
struct digits : p::plus<p::digit> {};
struct number_text : p::seq<digits, p::opt<p::one<'.'>, digits>> {};
struct number : p::seq<number_text, p::not_at<ident_other>, _> {};
struct duration_unit : p::sor<p::string<'m', 's'>, p::one<'d', 'h', 'm', 's'>> {};
struct duration_text : p::seq<digits, duration_unit> {};
struct duration : p::seq<duration_text, p::not_at<ident_other>, _> {};
struct lit_null : kw_null {};
struct lit_true : kw_true {};
struct lit_false : kw_false {};

struct expr;
struct escape : p::seq<p::one<'\\'>, p::one<'"', '\\', '{', '}', 'n', 't'>> {};
struct string_chars : p::plus<p::not_one<'"', '\\', '{', '}', '\n'>> {};
struct interpolation_end : p::one<'}'> {};
struct interpolation : p::if_must<p::seq<p::one<'{'>, _>, expr, interpolation_end> {};
struct string_part : p::sor<string_chars, escape, interpolation> {};
struct string_end : p::one<'"'> {};
struct template_string : p::seq<p::one<'"'>, p::star<string_part>, p::must<string_end>, _> {};
struct raw_chars : p::star<p::not_one<'\'', '\n'>> {};
struct raw_end : p::one<'\''> {};
struct raw_string : p::seq<p::one<'\''>, raw_chars, p::must<raw_end>, _> {};
struct regex_chars : p::star<p::sor<p::seq<p::one<'\\'>, p::not_one<'\n'>>, p::not_one<'/', '\n'>>> {};
struct regex_end : p::one<'/'> {};
struct regex : p::seq<p::one<'/'>, regex_chars, p::must<regex_end>, _> {};

// ---- expressions, loosest first ------------------------------------------------------
struct comp_filter : p::seq<kw_if, expr> {};
struct comp_tail : p::seq<kw_for, name, kw_in, expr, p::opt<comp_filter>> {};
struct list_rest : p::seq<p::star<comma, expr>, p::opt<comma>> {};
struct list_expr : p::seq<lbracket, p::opt<expr, p::sor<comp_tail, list_rest>>, p::must<rbracket>> {};
struct map_key_word : p::seq<field_name, _, p::at<colon>> {};
struct map_key : p::sor<map_key_word, expr> {};
struct map_entry : p::seq<map_key, p::must<colon>, expr> {};
struct map_rest : p::seq<p::star<comma, map_entry>, p::opt<comma>> {};
struct map_expr : p::seq<lbrace, p::opt<map_entry, p::sor<comp_tail, map_rest>>, p::must<rbrace>> {};
struct collection_kind : p::sor<kw_aws, kw_view, kw_group> {};
struct changed_flag : kw_changed {};
struct collection : p::seq<p::opt<changed_flag>, collection_kind, p::must<p::one<'.'>, field_name>, _> {};
struct quantifier_kind
    : p::sor<TAO_PEGTL_STRING("any"), TAO_PEGTL_STRING("all"), TAO_PEGTL_STRING("none"), TAO_PEGTL_STRING("count")> {};
struct quantifier
    : p::seq<quantifier_kind, p::not_at<ident_other>, _, lparen, name, kw_in, expr, colon, expr, p::must<rparen>> {};
struct arguments : p::opt<expr, p::star<comma, expr>, p::opt<comma>> {};
struct call : p::seq<name, lparen, arguments, p::must<rparen>> {};
struct paren : p::seq<lparen, expr, p::must<rparen>> {};
struct primary : p::sor<paren, list_expr, map_expr, template_string, raw_string, regex, duration, number, lit_null,
                        lit_true, lit_false, collection, quantifier, call, name> {};

struct field_access : p::seq<dot, field_name, _> {};
struct index_access : p::seq<lbracket, expr, p::must<rbracket>> {};
struct projection : star_index {};
struct postfix_op : p::sor<field_access, projection, index_access> {};
struct postfix : p::seq<primary, p::star<postfix_op>> {};

struct unary;
struct negate : p::seq<p::one<'-'>, _, unary> {};
struct unary : p::sor<negate, postfix> {};
struct op_mul : p::seq<p::one<'*', '/', '%'>, _> {};
struct multiplicative : p::seq<unary, p::star<op_mul, unary>> {};
struct op_add : p::seq<p::one<'+', '-'>, _> {};
struct additive : p::seq<multiplicative, p::star<op_add, multiplicative>> {};
struct op_range : p::seq<p::two<'.'>, _> {};
struct range_expr : p::seq<additive, p::opt<op_range, additive>> {};
struct op_not_matches : p::seq<kw_not, kw_matches> {};
struct op_matches : kw_matches {};
struct matching : p::seq<range_expr, p::opt<p::sor<op_not_matches, op_matches>, range_expr>> {};
struct op_not_within : p::seq<kw_not, kw_within> {};
struct op_within : kw_within {};
struct containment : p::seq<matching, p::opt<p::sor<op_not_within, op_within>, matching>> {};
struct op_not_in : p::seq<kw_not, kw_in> {};
struct op_in : kw_in {};
struct membership : p::seq<containment, p::opt<p::sor<op_not_in, op_in>, containment>> {};
struct op_compare : p::seq<p::sor<p::string<'=', '='>, p::string<'!', '='>, p::string<'<', '='>, p::string<'>', '='>,
                                  p::one<'<'>, p::one<'>'>>,
                           _> {};
struct comparison : p::seq<membership, p::opt<op_compare, membership>> {};
struct not_expr;
struct negation : p::seq<kw_not, not_expr> {};
struct not_expr : p::sor<negation, comparison> {};
struct and_expr : p::seq<not_expr, p::star<kw_and, not_expr>> {};
struct or_expr : p::seq<and_expr, p::star<kw_or, and_expr>> {};
struct op_coalesce : p::seq<p::two<'?'>, _> {};
struct coalesce : p::seq<or_expr, p::star<op_coalesce, or_expr>> {};
struct conditional : p::if_must<kw_if, expr, kw_then, expr, kw_else, expr> {};
struct lambda : p::seq<name, arrow, expr> {};
struct expr : p::sor<lambda, conditional, coalesce> {};

// ---- declarations --------------------------------------------------------------------
struct version_number : digits {};
struct header : p::seq<kw_reddalert, p::must<version_number>, _> {};
struct plain_string : p::sor<template_string, raw_string> {};
struct import_decl : p::if_must<kw_import, plain_string> {};
struct const_decl : p::if_must<kw_const, name, assign, expr> {};
struct def_params : p::opt<name, p::star<comma, name>> {};
struct def_decl : p::if_must<kw_def, name, lparen, def_params, rparen, assign, expr> {};
struct let_decl : p::if_must<kw_let, name, assign, expr> {};

struct meta_key : p::sor<TAO_PEGTL_STRING("title"), TAO_PEGTL_STRING("severity"), TAO_PEGTL_STRING("version"),
                         TAO_PEGTL_STRING("owner"), TAO_PEGTL_STRING("tags"), TAO_PEGTL_STRING("description"),
                         TAO_PEGTL_STRING("help_url"), TAO_PEGTL_STRING("references"), TAO_PEGTL_STRING("controls"),
                         TAO_PEGTL_STRING("requires")> {};
struct meta_item : p::seq<meta_key, p::not_at<ident_other>, _, p::must<expr>> {};
struct param_item : p::if_must<kw_param, name, assign, expr> {};
struct for_clause : p::if_must<kw_for, name, kw_in, expr> {};
struct let_clause : p::if_must<kw_let, name, assign, expr> {};
struct where_clause : p::if_must<kw_where, expr> {};
struct alert_clause : p::if_must<kw_alert, expr> {};
struct message_clause : p::if_must<kw_message, expr> {};
struct details_clause : p::if_must<kw_details, expr> {};
struct key_clause : p::if_must<kw_key, expr> {};
struct policy_item : p::sor<meta_item, param_item, for_clause, let_clause, where_clause, alert_clause, message_clause,
                            key_clause, details_clause> {};
struct policy_decl : p::if_must<kw_policy, p::seq<policy_name, _>, lbrace, p::star<policy_item>, rbrace> {};

struct declaration : p::sor<import_decl, const_decl, def_decl, let_decl, policy_decl> {};
struct file : p::seq<_, p::must<header>, p::star<declaration>, p::must<p::eof>> {};

// A stand-alone expression (used by tests and `reddalert parse --expr`).
struct expression_only : p::seq<_, expr, p::must<p::eof>> {};

}  // namespace reddalert::grammar
