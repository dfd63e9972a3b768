#include "lsp/locate.hpp"

#include <algorithm>
#include <vector>

namespace reddalert::lsp {

std::pair<std::size_t, std::size_t> byte_span(const base::Location& location) {
  if (!location.known()) return {0, 0};
  return {location.offset(), location.file->offset(location.line, location.end_column())};
}

void for_each_expr(const ast::Expr& root, const std::function<void(const ast::Expr&)>& f) {
  // An explicit stack: the parser bounds the depth, and a walk here need not rely on it.
  std::vector<const ast::Expr*> stack{&root};
  while (!stack.empty()) {
    const ast::Expr* e = stack.back();
    stack.pop_back();
    f(*e);
    std::vector<const ast::Expr*> children;
    ast::for_each_child(*e, [&](const ast::Expr& c) { children.push_back(&c); });
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
}

namespace {

// Keeps the narrowest token that touches the offset.
class Finder {
 public:
  explicit Finder(std::size_t offset) : offset_(offset) {}

  void consider(const base::Location& at, Hit::Kind kind, const ast::Expr* expr, const void* decl,
                const std::string& name) {
    const auto [begin, end] = byte_span(at);
    if (!at.known() || offset_ < begin || offset_ > end) return;
    if (best_.kind != Hit::Kind::None && end - begin >= best_width_) return;
    best_width_ = end - begin;
    best_ = {.kind = kind, .expr = expr, .decl = decl, .location = at, .name = name};
  }
  Hit hit() const { return best_; }

 private:
  std::size_t offset_;
  Hit best_;
  std::size_t best_width_ = 0;
};

void consider_expr(Finder& f, const ast::Expr& e) {
  using K = Hit::Kind;
  if (const auto* field = e.as<ast::Field>()) {
    f.consider(field->name_location, K::Field, &e, nullptr, field->name);
  } else if (const auto* call = e.as<ast::Call>()) {
    f.consider(call->name_location, K::Expr, &e, nullptr, call->name);
  } else if (const auto* q = e.as<ast::Quantifier>()) {
    f.consider(q->var_location, K::Binder, &e, nullptr, q->var);
  } else if (const auto* lc = e.as<ast::ListComp>()) {
    f.consider(lc->var_location, K::Binder, &e, nullptr, lc->var);
  } else if (const auto* mc = e.as<ast::MapComp>()) {
    f.consider(mc->var_location, K::Binder, &e, nullptr, mc->var);
  } else if (const auto* l = e.as<ast::Lambda>()) {
    f.consider(l->param_location, K::Binder, &e, nullptr, l->param);
  } else if (!e.as<ast::Elem>()) {
    const auto* n = e.as<ast::Name>();
    f.consider(e.location, K::Expr, &e, nullptr, n ? n->name : std::string());
  }
}

}  // namespace

void for_each_expr(const ast::Module& module, const std::function<void(const ast::Expr&)>& f) {
  ast::for_each_root(module, [&](const ast::Expr& root) { for_each_expr(root, f); });
}

Hit locate(const ast::Module& m, std::size_t offset) {
  using K = Hit::Kind;
  Finder f(offset);
  for (const auto& i : m.imports) f.consider(i.location, K::Import, nullptr, &i, i.path);
  for (const auto& c : m.consts) f.consider(c.location, K::Const, nullptr, &c, c.name);
  for (const auto& d : m.defs) {
    f.consider(d.location, K::Def, nullptr, &d, d.name);
    for (std::size_t i = 0; i < d.params.size(); ++i)
      f.consider(d.param_locations[i], K::Binder, nullptr, &d, d.params[i]);
  }
  for (const auto& l : m.lets) f.consider(l.location, K::Let, nullptr, &l, l.name);
  for (const auto& p : m.policies) {
    f.consider(p.location, K::Policy, nullptr, &p, p.name);
    for (const auto& prm : p.params) f.consider(prm.location, K::Param, nullptr, &prm, prm.name);
    for (const auto& c : p.clauses) {
      if (c.kind != ast::ClauseKind::Where) f.consider(c.name_location, K::Binder, nullptr, &c, c.name);
    }
  }
  for_each_expr(m, [&](const ast::Expr& e) { consider_expr(f, e); });
  return f.hit();
}

Enclosing enclosing(const ast::Module& m, std::size_t offset) {
  Enclosing out;
  std::size_t best = 0;
  bool found = false;
  const auto consider = [&](const base::Location& at, auto set) {
    // A declaration's location is its name: its keyword, on the same line, counts too.
    const std::size_t start = at.known() ? at.file->line_start(at.line) : 0;
    if (!at.known() || start > offset || (found && start < best)) return;
    best = start;
    found = true;
    out = {};
    set();
  };
  for (const auto& c : m.consts) consider(c.location, [&] { out.constant = &c; });
  for (const auto& d : m.defs) consider(d.location, [&] { out.def = &d; });
  for (const auto& l : m.lets) consider(l.location, [&] { out.let = &l; });
  for (const auto& p : m.policies) consider(p.location, [&] { out.policy = &p; });
  // An import after the item ends it.
  for (const auto& i : m.imports) consider(i.location, [] {});
  return out;
}

std::uint32_t last_line(const ast::Expr& expr) {
  std::uint32_t line = 0;
  for_each_expr(expr, [&](const ast::Expr& e) { line = std::max(line, e.location.line); });
  return line;
}

std::uint32_t last_line(const ast::Policy& p) {
  std::uint32_t line = p.location.line;
  for (const auto& meta : p.meta) line = std::max(line, last_line(*meta.value));
  for (const auto& prm : p.params) line = std::max(line, last_line(*prm.value));
  for (const auto& c : p.clauses) line = std::max(line, last_line(*c.expr));
  for (const ast::Expr* e : {p.alert.get(), p.message.get(), p.details.get(), p.key.get()}) {
    if (e) line = std::max(line, last_line(*e));
  }
  // The closing brace is on the next line in the canonical layout; the range ends at the
  // last item, which is what the editor needs to reveal.
  return line;
}

}  // namespace reddalert::lsp
