// Expressions as layout documents: parentheses only where precedence needs them, operator
// chains broken after their operators and aligned on their first operand, brackets broken
// one element per line.
#include "format/expr_doc.hpp"

#include <climits>

namespace reddalert::format {

using namespace reddalert::ast;

namespace {

// Precedence levels, loosest first (docs/language.md, section 9); 15 for primaries.
int level(BinaryOp op) {
  switch (op) {
    case BinaryOp::Coalesce: return 2;
    case BinaryOp::Or: return 3;
    case BinaryOp::And: return 4;
    case BinaryOp::Eq:
    case BinaryOp::Ne:
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge: return 6;
    case BinaryOp::In:
    case BinaryOp::NotIn: return 7;
    case BinaryOp::Within:
    case BinaryOp::NotWithin: return 8;
    case BinaryOp::Matches:
    case BinaryOp::NotMatches: return 9;
    case BinaryOp::Range: return 10;
    case BinaryOp::Add:
    case BinaryOp::Sub: return 11;
    case BinaryOp::Mul:
    case BinaryOp::Div:
    case BinaryOp::Mod: return 12;
  }
  return 15;
}

bool left_associative(int lvl) { return lvl == 2 || lvl == 3 || lvl == 4 || lvl == 11 || lvl == 12; }

int precedence(const Expr& e) {
  if (e.as<Lambda>() || e.as<Conditional>()) return 1;
  if (const auto* b = e.as<Binary>()) return level(b->op);
  if (e.as<Not>()) return 5;
  if (e.as<Negate>()) return 13;
  if (e.as<Field>() || e.as<Index>() || e.as<Projection>()) return 14;
  return 15;
}

bool is_word(const std::string& s) {
  if (s.empty()) return false;
  const auto first = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!first(s[0])) return false;
  for (const char c : s) {
    if (!first(c) && !(c >= '0' && c <= '9')) return false;
  }
  return true;
}

Doc expr(const Expr& e);

Doc parens(const Expr& e) { return concat({text("("), align(expr(e)), text(")")}); }

Doc operand(const Expr& e, int min_level) { return precedence(e) < min_level ? parens(e) : expr(e); }

// The base of `.name`, `[i]` or `[*]`: a primary or a postfix chain, but not a projection,
// whose `[*]` would take the access in.
Doc postfix_base(const Expr& e) {
  if (e.as<Elem>()) return text("");
  if (e.as<Projection>() || precedence(e) < 14) return parens(e);
  return expr(e);
}

// "a, b, c" inside brackets: flat, or one per line indented by two.
Doc bracketed(const std::string& open, std::vector<Doc> items, const std::string& close) {
  if (items.empty()) return text(open + close);
  std::vector<Doc> inner{softline()};
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      inner.push_back(text(","));
      inner.push_back(line());
    }
    inner.push_back(std::move(items[i]));
  }
  return group(concat({text(open), nest(2, concat(std::move(inner))), softline(), text(close)}));
}

Doc comprehension(const std::string& open, Doc element, const std::string& var, const Expr& source, const Expr* filter,
                  const std::string& close) {
  std::vector<Doc> inner{softline(), std::move(element), line(), text("for " + var + " in "), expr(source)};
  if (filter) {
    inner.push_back(line());
    inner.push_back(text("if "));
    inner.push_back(expr(*filter));
  }
  return group(concat({text(open), nest(2, concat(std::move(inner))), softline(), text(close)}));
}

// `nested`: an operand of a looser chain, whose continuation lines go two columns further
// in than its first operand, so that they do not read as operands of the looser chain.
Doc binary(const Binary& b, bool nested = false) {
  const int lvl = level(b.op);
  if (b.op == BinaryOp::Range) return concat({operand(*b.lhs, 11), text(".."), operand(*b.rhs, 11)});
  // A left-associative chain a + b - c is one group, broken after every operator.
  std::vector<std::pair<const Expr*, BinaryOp>> rest;  // right operands, last first
  const Expr* first = nullptr;
  if (left_associative(lvl)) {
    const Binary* at = &b;
    while (true) {
      rest.emplace_back(at->rhs.get(), at->op);
      const Binary* next = at->lhs->as<Binary>();
      if (next == nullptr || level(next->op) != lvl) break;
      at = next;
    }
    first = at->lhs.get();
  } else {
    rest.emplace_back(b.rhs.get(), b.op);
    first = b.lhs.get();
  }
  const auto chain_operand = [](const Expr& e, int min_level) {
    const auto* inner = e.as<Binary>();
    return inner && precedence(e) >= min_level && inner->op != BinaryOp::Range ? binary(*inner, true)
                                                                               : operand(e, min_level);
  };
  std::vector<Doc> parts{chain_operand(*first, left_associative(lvl) ? lvl : lvl + 1)};
  for (auto it = rest.rbegin(); it != rest.rend(); ++it) {
    parts.push_back(text(std::string(" ") + spelling(it->second)));
    parts.push_back(line());
    parts.push_back(chain_operand(*it->first, lvl + 1));
  }
  Doc chain = group(concat(std::move(parts)));
  return align(nested ? nest(2, std::move(chain)) : std::move(chain));
}

Doc conditional(const Conditional& c) {
  std::vector<Doc> parts{text("if "), expr(*c.cond), boundary(), text(" then "), expr(*c.then_expr)};
  const Expr* else_expr = c.else_expr.get();
  while (const auto* next = else_expr->as<Conditional>()) {
    parts.push_back(line());
    parts.push_back(text("else if "));
    parts.push_back(expr(*next->cond));
    parts.push_back(boundary());
    parts.push_back(text(" then "));
    parts.push_back(expr(*next->then_expr));
    else_expr = next->else_expr.get();
  }
  parts.push_back(line());
  parts.push_back(text("else "));
  parts.push_back(expr(*else_expr));
  return align(group(concat(std::move(parts))));
}

std::string template_text(const TemplateString& s) {
  std::string out = "\"";
  for (const auto& part : s.parts) {
    if (const auto* t = std::get_if<std::string>(&part)) {
      out += escape_template_text(*t);
    } else {
      std::string inner = flat(*std::get<ExprPtr>(part));
      if (!inner.empty() && (inner.front() == '{' || inner.back() == '}')) inner = " " + inner + " ";
      out += "{" + inner + "}";
    }
  }
  return out + "\"";
}

struct ExprVisitor {
  Doc operator()(const NullLit&) const { return text("null"); }
  Doc operator()(const BoolLit& b) const { return text(b.value ? "true" : "false"); }
  Doc operator()(const NumberLit& n) const { return text(n.text); }
  Doc operator()(const DurationLit& d) const { return text(d.text); }
  Doc operator()(const TemplateString& s) const { return text(template_text(s)); }
  Doc operator()(const RawString& s) const { return text("'" + s.value + "'"); }
  Doc operator()(const RegexLit& r) const {
    std::string out = "/";
    for (const char c : r.pattern) {
      if (c == '/') out += '\\';
      out += c;
    }
    return text(out + "/");
  }
  Doc operator()(const ListLit& l) const {
    std::vector<Doc> items;
    for (const auto& i : l.items) items.push_back(expr(*i));
    return bracketed("[", std::move(items), "]");
  }
  Doc operator()(const MapLit& m) const {
    std::vector<Doc> items;
    for (const auto& e : m.entries) {
      const std::string key = is_word(e.key) ? e.key : "\"" + escape_template_text(e.key) + "\"";
      items.push_back(concat({text(key + ": "), expr(*e.value)}));
    }
    return bracketed("{", std::move(items), "}");
  }
  Doc operator()(const Name& n) const { return text(n.name); }
  Doc operator()(const CollectionRef& c) const { return text((c.changed ? "changed " : "") + c.full_name()); }
  Doc operator()(const Field& f) const { return concat({postfix_base(*f.base), text("." + f.name)}); }
  Doc operator()(const Index& i) const { return concat({postfix_base(*i.base), text("["), expr(*i.index), text("]")}); }
  Doc operator()(const Elem&) const { return text(""); }
  Doc operator()(const Projection& p) const {
    return concat({postfix_base(*p.base), text("[*]"), expr(*p.per_element)});
  }
  Doc operator()(const Call& c) const {
    if (c.args.size() == 1) {
      const Expr& a = *c.args[0];
      if (a.as<ListLit>() || a.as<MapLit>() || a.as<ListComp>() || a.as<MapComp>()) {
        return concat({text(c.name + "("), expr(a), text(")")});
      }
    }
    std::vector<Doc> items;
    for (const auto& a : c.args) items.push_back(expr(*a));
    return concat({text(c.name), bracketed("(", std::move(items), ")")});
  }
  // `- -x`, not `--x`.
  Doc operator()(const Negate& n) const {
    return concat({text(n.operand->as<Negate>() ? "- " : "-"), operand(*n.operand, 13)});
  }
  Doc operator()(const Not& n) const { return concat({text("not "), operand(*n.operand, 5)}); }
  Doc operator()(const Binary& b) const { return binary(b); }
  Doc operator()(const Conditional& c) const { return conditional(c); }
  Doc operator()(const Quantifier& q) const {
    Doc inner = concat({softline(), text(q.var + " in "), expr(*q.source), text(":"), line(), expr(*q.cond)});
    return group(concat({text(std::string(spelling(q.kind)) + "("), nest(2, std::move(inner)), softline(), text(")")}));
  }
  Doc operator()(const ListComp& c) const {
    return comprehension("[", expr(*c.element), c.var, *c.source, c.filter.get(), "]");
  }
  Doc operator()(const MapComp& c) const {
    return comprehension("{", concat({expr(*c.key), text(": "), expr(*c.value)}), c.var, *c.source, c.filter.get(),
                         "}");
  }
  Doc operator()(const Lambda& l) const { return concat({text(l.param + " => "), expr(*l.body)}); }
};

Doc expr(const Expr& e) { return std::visit(ExprVisitor{}, e.node); }

}  // namespace

std::string escape_template_text(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '{': out += "\\{"; break;
      case '}': out += "\\}"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out;
}

Doc expression_doc(const Expr& e) { return expr(e); }

std::string flat(const Expr& e) { return render(expr(e), 0, INT_MAX / 2); }

}  // namespace reddalert::format
