#include "ast/printer.hpp"

#include "base/json_text.hpp"
#include "base/text.hpp"

namespace reddalert::ast {

namespace {

TreeDump node(std::string kind, std::string label, const Location& loc) {
  TreeDump t;
  t.kind = std::move(kind);
  t.label = std::move(label);
  t.location = loc;
  return t;
}

struct ExprDumper {
  const Location& loc;

  TreeDump operator()(const NullLit&) const { return node("null", "", loc); }
  TreeDump operator()(const BoolLit& b) const { return node("bool", b.value ? "true" : "false", loc); }
  TreeDump operator()(const NumberLit& n) const { return node("number", n.text, loc); }
  TreeDump operator()(const DurationLit& d) const { return node("duration", d.text, loc); }
  TreeDump operator()(const TemplateString& s) const {
    TreeDump t = node("template", "", loc);
    for (const auto& part : s.parts) {
      if (const auto* text = std::get_if<std::string>(&part)) {
        t.add(node("text", base::json_quote(*text), {}));
      } else {
        t.add(dump(*std::get<ExprPtr>(part)));
      }
    }
    return t;
  }
  TreeDump operator()(const RawString& s) const { return node("string", base::json_quote(s.value), loc); }
  TreeDump operator()(const RegexLit& r) const { return node("regex", "/" + r.pattern + "/", loc); }
  TreeDump operator()(const ListLit& l) const {
    TreeDump t = node("list", "", loc);
    for (const auto& i : l.items) t.add(dump(*i));
    return t;
  }
  TreeDump operator()(const MapLit& m) const {
    TreeDump t = node("map", "", loc);
    for (const auto& e : m.entries) t.add(node("entry", base::json_quote(e.key), e.key_location)).add(dump(*e.value));
    return t;
  }
  TreeDump operator()(const Name& n) const { return node("name", n.name, loc); }
  TreeDump operator()(const CollectionRef& c) const {
    return node("collection", (c.changed ? "changed " : "") + c.full_name(), loc);
  }
  TreeDump operator()(const Field& f) const {
    TreeDump t = node("field", f.name, loc);
    t.add(dump(*f.base));
    return t;
  }
  TreeDump operator()(const Index& i) const {
    TreeDump t = node("index", "", loc);
    t.add(dump(*i.base));
    t.add(dump(*i.index));
    return t;
  }
  TreeDump operator()(const Elem&) const { return node("element", "", loc); }
  TreeDump operator()(const Projection& p) const {
    TreeDump t = node("project", "", loc);
    t.add(dump(*p.base));
    t.add(dump(*p.per_element));
    return t;
  }
  TreeDump operator()(const Call& c) const {
    TreeDump t = node("call", c.name, loc);
    for (const auto& a : c.args) t.add(dump(*a));
    return t;
  }
  TreeDump operator()(const Negate& n) const {
    TreeDump t = node("negate", "", loc);
    t.add(dump(*n.operand));
    return t;
  }
  TreeDump operator()(const Not& n) const {
    TreeDump t = node("not", "", loc);
    t.add(dump(*n.operand));
    return t;
  }
  TreeDump operator()(const Binary& b) const {
    TreeDump t = node("binary", spelling(b.op), loc);
    t.add(dump(*b.lhs));
    t.add(dump(*b.rhs));
    return t;
  }
  TreeDump operator()(const Conditional& c) const {
    TreeDump t = node("if", "", loc);
    t.add(dump(*c.cond));
    t.add(dump(*c.then_expr));
    t.add(dump(*c.else_expr));
    return t;
  }
  TreeDump operator()(const Quantifier& q) const {
    TreeDump t = node(spelling(q.kind), q.var, loc);
    t.add(dump(*q.source));
    t.add(dump(*q.cond));
    return t;
  }
  TreeDump operator()(const ListComp& c) const {
    TreeDump t = node("list-comprehension", c.var, loc);
    t.add(dump(*c.element));
    t.add(dump(*c.source));
    if (c.filter) t.add(dump(*c.filter));
    return t;
  }
  TreeDump operator()(const MapComp& c) const {
    TreeDump t = node("map-comprehension", c.var, loc);
    t.add(dump(*c.key));
    t.add(dump(*c.value));
    t.add(dump(*c.source));
    if (c.filter) t.add(dump(*c.filter));
    return t;
  }
  TreeDump operator()(const Lambda& l) const {
    TreeDump t = node("lambda", l.param, loc);
    t.add(dump(*l.body));
    return t;
  }
};

const char* clause_kind(ClauseKind k) {
  switch (k) {
    case ClauseKind::For: return "for";
    case ClauseKind::Let: return "let";
    case ClauseKind::Where: return "where";
  }
  return "?";
}

}  // namespace

TreeDump dump(const Expr& e) { return std::visit(ExprDumper{e.location}, e.node); }

TreeDump dump(const Policy& p) {
  TreeDump t = node("policy", p.name, p.location);
  for (const auto& m : p.meta) t.add(node("meta", m.key, m.location)).add(dump(*m.value));
  for (const auto& prm : p.params) t.add(node("param", prm.name, prm.location)).add(dump(*prm.value));
  for (const auto& c : p.clauses) {
    TreeDump& ct = t.add(node(clause_kind(c.kind), c.name, c.location));
    ct.add(dump(*c.expr));
  }
  if (p.alert) t.add(node("alert", "", p.alert_location)).add(dump(*p.alert));
  if (p.message) t.add(node("message", "", p.message_location)).add(dump(*p.message));
  if (p.details) t.add(node("details", "", p.details_location)).add(dump(*p.details));
  if (p.key) t.add(node("key", "", p.key_location)).add(dump(*p.key));
  return t;
}

TreeDump dump(const Module& m) {
  TreeDump t = node("module", "reddalert " + std::to_string(m.language_version), {});
  for (const auto& i : m.imports) t.add(node("import", base::json_quote(i.path), i.location));
  for (const auto& c : m.consts) t.add(node("const", c.name, c.location)).add(dump(*c.value));
  for (const auto& d : m.defs) {
    TreeDump& dt = t.add(node("def", d.name + "(" + base::join(d.params, ", ") + ")", d.location));
    dt.add(dump(*d.body));
  }
  for (const auto& l : m.lets) t.add(node("let", l.name, l.location)).add(dump(*l.value));
  for (const auto& p : m.policies) t.add(dump(p));
  return t;
}

}  // namespace reddalert::ast
