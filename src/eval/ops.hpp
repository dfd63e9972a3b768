// The evaluator's operators and the semantics that nodes, builtins and constant folding
// share. Each returns a boolean value or an error value located at `where`.
#pragma once

#include "eval/context.hpp"

namespace reddalert::eval {

enum class Op {
  Coalesce,
  Or,
  And,
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  In,
  NotIn,
  Within,
  NotWithin,
  Matches,
  NotMatches,
  Range,
  Add,
  Sub,
  Mul,
  Div,
  Mod,
};
const char* spelling(Op op);

enum class Quantifier { Any, All, None, Count };
const char* spelling(Quantifier q);

Value op_in(Context& ctx, const Value& x, const Value& xs, const Node& where);
Value op_within(Context& ctx, const Value& a, const Value& b, const Node& where);
Value op_matches(Context& ctx, const Value& s, const Value& re, const Node& where);

// Calls a function value on one argument.
Value call_closure(Context& ctx, const Value& fn, const Value& arg, const Node& where);

// `what` needs a `want`, found the kind of `v`.
Value kind_error(Context& ctx, const Node& where, const Value& v, Kind want, const char* what);

// The resource a document value is, when it is one a collection served.
const model::ResourceRef* resource_of(const Context& ctx, const Value& v);

}  // namespace reddalert::eval
