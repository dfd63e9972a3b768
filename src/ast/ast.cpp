#include "ast/ast.hpp"

namespace reddalert::ast {

const char* spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::Coalesce: return "??";
    case BinaryOp::Or: return "or";
    case BinaryOp::And: return "and";
    case BinaryOp::Eq: return "==";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::In: return "in";
    case BinaryOp::NotIn: return "not in";
    case BinaryOp::Within: return "within";
    case BinaryOp::NotWithin: return "not within";
    case BinaryOp::Matches: return "matches";
    case BinaryOp::NotMatches: return "not matches";
    case BinaryOp::Range: return "..";
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::Mod: return "%";
  }
  return "?";
}

const char* spelling(CollectionKind kind) {
  switch (kind) {
    case CollectionKind::Aws: return "aws";
    case CollectionKind::View: return "view";
    case CollectionKind::Group: return "group";
  }
  return "?";
}

const char* spelling(QuantifierKind kind) {
  switch (kind) {
    case QuantifierKind::Any: return "any";
    case QuantifierKind::All: return "all";
    case QuantifierKind::None: return "none";
    case QuantifierKind::Count: return "count";
  }
  return "?";
}

std::string CollectionRef::full_name() const { return std::string(spelling(kind)) + "." + name; }

namespace {

struct Children {
  const std::function<void(const Expr&)>& f;
  void operator()(const TemplateString& s) const {
    for (const auto& p : s.parts) {
      if (const auto* x = std::get_if<ExprPtr>(&p)) f(**x);
    }
  }
  void operator()(const ListLit& l) const {
    for (const auto& i : l.items) f(*i);
  }
  void operator()(const MapLit& m) const {
    for (const auto& e : m.entries) f(*e.value);
  }
  void operator()(const Field& x) const { f(*x.base); }
  void operator()(const Index& x) const {
    f(*x.base);
    f(*x.index);
  }
  void operator()(const Projection& x) const {
    f(*x.base);
    f(*x.per_element);
  }
  void operator()(const Call& c) const {
    for (const auto& a : c.args) f(*a);
  }
  void operator()(const Negate& x) const { f(*x.operand); }
  void operator()(const Not& x) const { f(*x.operand); }
  void operator()(const Binary& x) const {
    f(*x.lhs);
    f(*x.rhs);
  }
  void operator()(const Conditional& x) const {
    f(*x.cond);
    f(*x.then_expr);
    f(*x.else_expr);
  }
  void operator()(const Quantifier& x) const {
    f(*x.source);
    f(*x.cond);
  }
  void operator()(const ListComp& x) const {
    f(*x.source);
    if (x.filter) f(*x.filter);
    f(*x.element);
  }
  void operator()(const MapComp& x) const {
    f(*x.source);
    if (x.filter) f(*x.filter);
    f(*x.key);
    f(*x.value);
  }
  void operator()(const Lambda& x) const { f(*x.body); }
  template <class Leaf>
  void operator()(const Leaf&) const {}  // literals, names, collections, the element placeholder
};

}  // namespace

void for_each_child(const Expr& e, const std::function<void(const Expr&)>& f) { std::visit(Children{f}, e.node); }

void for_each_root(const Module& m, const std::function<void(const Expr&)>& f) {
  for (const auto& c : m.consts) f(*c.value);
  for (const auto& d : m.defs) f(*d.body);
  for (const auto& l : m.lets) f(*l.value);
  for (const auto& p : m.policies) {
    for (const auto& meta : p.meta) f(*meta.value);
    for (const auto& prm : p.params) f(*prm.value);
    for (const auto& c : p.clauses) f(*c.expr);
    for (const Expr* e : {p.alert.get(), p.message.get(), p.details.get(), p.key.get()}) {
      if (e) f(*e);
    }
  }
}

}  // namespace reddalert::ast
