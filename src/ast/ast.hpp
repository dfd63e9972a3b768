// The abstract syntax tree of a policy file. Every node carries its Location and an id,
// dense over everything loaded together, that the checker's and compiler's tables use.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "base/source_file.hpp"

namespace reddalert::ast {

using base::Location;
using NodeId = std::uint32_t;

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class BinaryOp {
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
  Mod
};
const char* spelling(BinaryOp op);

enum class CollectionKind { Aws, View, Group };
const char* spelling(CollectionKind kind);

enum class QuantifierKind { Any, All, None, Count };
const char* spelling(QuantifierKind kind);

struct NullLit {};
struct BoolLit {
  bool value;
};
struct NumberLit {
  double value;
  std::string text;
};
struct DurationLit {
  double millis;
  std::string text;
};
// "..." with {expr} parts; a part is literal text or an expression.
struct TemplateString {
  std::vector<std::variant<std::string, ExprPtr>> parts;
};
struct RawString {
  std::string value;
};
struct RegexLit {
  std::string pattern;
};
struct ListLit {
  std::vector<ExprPtr> items;
};
struct MapEntry {
  std::string key;
  Location key_location;
  ExprPtr value;
};
struct MapLit {
  std::vector<MapEntry> entries;
};
struct Name {
  std::string name;
};
struct CollectionRef {
  CollectionKind kind;
  std::string name;
  bool changed;
  std::string full_name() const;
};
struct Field {
  ExprPtr base;
  std::string name;
  Location name_location;
};
struct Index {
  ExprPtr base;
  ExprPtr index;
};
// base[*] followed by `steps`, applied to each element; an element step is a Field,
// Index or nested Projection whose base is an Elem placeholder.
struct Elem {};
struct Projection {
  ExprPtr base;
  ExprPtr per_element;
};
struct Call {
  std::string name;
  Location name_location;
  std::vector<ExprPtr> args;
};
struct Negate {
  ExprPtr operand;
};
struct Not {
  ExprPtr operand;
};
struct Binary {
  BinaryOp op;
  ExprPtr lhs;
  ExprPtr rhs;
  // Where the operator is written. The node's own location is there too, except for `and`,
  // `or` and `??`, whose node starts at its left operand (diagnostics point at the whole).
  base::Location op_location;
};
struct Conditional {
  ExprPtr cond;
  ExprPtr then_expr;
  ExprPtr else_expr;
};
struct Quantifier {
  QuantifierKind kind;
  std::string var;
  Location var_location;
  ExprPtr source;
  ExprPtr cond;
};
struct ListComp {
  ExprPtr element;
  std::string var;
  Location var_location;
  ExprPtr source;
  ExprPtr filter;
};
struct MapComp {
  ExprPtr key;
  ExprPtr value;
  std::string var;
  Location var_location;
  ExprPtr source;
  ExprPtr filter;
};
struct Lambda {
  std::string param;
  Location param_location;
  ExprPtr body;
};

struct Expr {
  NodeId id = 0;
  Location location;
  std::variant<NullLit, BoolLit, NumberLit, DurationLit, TemplateString, RawString, RegexLit, ListLit, MapLit, Name,
               CollectionRef, Field, Index, Elem, Projection, Call, Negate, Not, Binary, Conditional, Quantifier,
               ListComp, MapComp, Lambda>
      node;

  template <typename T>
  const T* as() const {
    return std::get_if<T>(&node);
  }
};

// Calls f(child) for each expression directly inside `e`, left to right.
void for_each_child(const Expr& e, const std::function<void(const Expr&)>& f);

template <typename T>
ExprPtr make(Location loc, T node) {
  auto e = std::make_unique<Expr>();
  e->location = std::move(loc);
  e->node = std::move(node);
  return e;
}

// ---- declarations --------------------------------------------------------------------

struct Import {
  Location location;
  std::string path;
};
struct Const {
  NodeId id = 0;
  Location location;
  std::string name;
  ExprPtr value;
};
struct Def {
  NodeId id = 0;
  Location location;
  std::string name;
  std::vector<std::string> params;
  std::vector<Location> param_locations;
  ExprPtr body;
};
struct Let {
  NodeId id = 0;
  Location location;
  std::string name;
  ExprPtr value;
};

struct MetaField {
  Location location;
  std::string key;
  ExprPtr value;
};
struct Param {
  NodeId id = 0;
  Location location;
  std::string name;
  ExprPtr value;
};

enum class ClauseKind { For, Let, Where };
struct Clause {
  NodeId id = 0;
  Location location;  // of the keyword
  ClauseKind kind;
  std::string name;  // For, Let
  Location name_location;
  ExprPtr expr;  // source, value or condition
};

struct Policy {
  NodeId id = 0;
  Location location;  // of the name
  std::string name;
  std::vector<MetaField> meta;
  std::vector<Param> params;
  std::vector<Clause> clauses;
  ExprPtr alert;
  Location alert_location;
  ExprPtr message;
  Location message_location;
  ExprPtr details;  // null when absent
  Location details_location;
  ExprPtr key;  // what tells one finding of an alert from another; null: the message
  Location key_location;
};

struct Module {
  base::SourcePtr source;
  NodeId first_id = 0;  // the ids of its nodes: [first_id, end_id)
  NodeId end_id = 0;
  int language_version = 0;
  std::vector<Import> imports;
  std::vector<Const> consts;
  std::vector<Def> defs;
  std::vector<Let> lets;
  std::vector<Policy> policies;
};

// Calls f(root) for each top-level expression of `m`: const and let values, def bodies, and
// each policy's metadata, params, clauses, alert, message, details and key, in file order
// within a policy.
void for_each_root(const Module& m, const std::function<void(const Expr&)>& f);

}  // namespace reddalert::ast
