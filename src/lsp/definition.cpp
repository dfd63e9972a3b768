#include "lsp/definition.hpp"

#include "lsp/position.hpp"

namespace reddalert::lsp {

namespace {

bool same_place(const base::Location& a, const base::Location& b) {
  return a.known() && b.known() && a.file->path() == b.file->path() && a.line == b.line && a.column == b.column;
}

}  // namespace

base::Location Symbol::location() const {
  switch (kind) {
    case Kind::Const: return static_cast<const ast::Const*>(decl)->location;
    case Kind::Def: return static_cast<const ast::Def*>(decl)->location;
    case Kind::Let: return static_cast<const ast::Let*>(decl)->location;
    case Kind::Param: return static_cast<const ast::Param*>(decl)->location;
    case Kind::Local: return binder;
  }
  return {};
}

bool Symbol::operator==(const Symbol& other) const {
  if (kind != other.kind) return false;
  return kind == Kind::Local ? same_place(binder, other.binder) : decl == other.decl;
}

nlohmann::json location_json(const base::Location& at) { return {{"uri", uri_of(at.path())}, {"range", range(at)}}; }

std::optional<Symbol> symbol_of(const Analysis& a, const ast::Expr& e, const ast::Policy* policy) {
  if (!e.as<ast::Name>() && !e.as<ast::Call>()) return std::nullopt;
  const check::CheckedProgram& p = a.program();
  if (e.id >= p.refs.size()) return std::nullopt;
  const check::Ref& r = p.ref(e);
  const auto i = static_cast<std::size_t>(r.index);
  using RK = check::Ref::Kind;
  using SK = Symbol::Kind;
  switch (r.kind) {
    case RK::Const:
      if (i < p.consts.size()) return Symbol{.kind = SK::Const, .decl = p.consts[i], .binder = {}, .policy = nullptr};
      break;
    case RK::Def:
      if (i < p.defs.size()) return Symbol{.kind = SK::Def, .decl = p.defs[i], .binder = {}, .policy = nullptr};
      break;
    case RK::Let:
      if (i < p.lets.size()) return Symbol{.kind = SK::Let, .decl = p.lets[i], .binder = {}, .policy = nullptr};
      break;
    case RK::Param:
      if (policy && i < policy->params.size())
        return Symbol{.kind = SK::Param, .decl = &policy->params[i], .binder = {}, .policy = policy};
      break;
    case RK::Local:
      if (p.binders[e.id].known())
        return Symbol{.kind = SK::Local, .decl = nullptr, .binder = p.binders[e.id], .policy = nullptr};
      break;
    default: break;
  }
  return std::nullopt;
}

std::optional<Symbol> symbol_of(const Analysis& a, const Hit& hit, std::size_t offset) {
  using K = Hit::Kind;
  using SK = Symbol::Kind;
  switch (hit.kind) {
    case K::Expr: return symbol_of(a, *hit.expr, enclosing(a.module->module, offset).policy);
    case K::Const: return Symbol{.kind = SK::Const, .decl = hit.decl, .binder = {}, .policy = nullptr};
    case K::Def: return Symbol{.kind = SK::Def, .decl = hit.decl, .binder = {}, .policy = nullptr};
    case K::Let: return Symbol{.kind = SK::Let, .decl = hit.decl, .binder = {}, .policy = nullptr};
    case K::Param:
      return Symbol{
          .kind = SK::Param, .decl = hit.decl, .binder = {}, .policy = enclosing(a.module->module, offset).policy};
    case K::Binder: return Symbol{.kind = SK::Local, .decl = nullptr, .binder = hit.location, .policy = nullptr};
    default: return std::nullopt;
  }
}

nlohmann::json definition(const Analysis& a, std::size_t offset) {
  if (!a.module) return nullptr;
  const Hit hit = locate(a.module->module, offset);
  if (hit.kind == Hit::Kind::Import) {
    // The statement's string -> the file it resolved to.
    for (const check::ResolvedImport& imp : a.module->imports) {
      if (imp.location.line != hit.location.line || imp.location.column != hit.location.column) continue;
      const base::SourcePtr& target = a.workspace().modules[imp.module].module.source;
      const base::Location start{.file = target, .line = 1, .column = 1, .length = 0};
      return location_json(start);
    }
    return nullptr;
  }
  const std::optional<Symbol> s = symbol_of(a, hit, offset);
  if (!s) return nullptr;
  return location_json(s->location());
}

nlohmann::json references(const Analysis& a, std::size_t offset, bool include_declaration) {
  nlohmann::json out = nlohmann::json::array();
  if (!a.module) return out;
  const std::optional<Symbol> target = symbol_of(a, locate(a.module->module, offset), offset);
  if (!target) return out;
  if (include_declaration) out.push_back(location_json(target->location()));
  for (const check::LoadedModule& m : a.workspace().modules) {
    for_each_expr(m.module, [&](const ast::Expr& e) {
      if (!e.as<ast::Name>() && !e.as<ast::Call>()) return;
      const base::Location at = e.as<ast::Call>() ? e.as<ast::Call>()->name_location : e.location;
      const std::optional<Symbol> s = symbol_of(a, e, enclosing(m.module, at.offset()).policy);
      if (s && *s == *target) out.push_back(location_json(at));
    });
  }
  return out;
}

}  // namespace reddalert::lsp
