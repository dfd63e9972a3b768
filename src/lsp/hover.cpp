#include "lsp/hover.hpp"

#include "format/format.hpp"
#include "lang/builtins.hpp"
#include "lsp/definition.hpp"
#include "lsp/locate.hpp"
#include "lsp/position.hpp"
#include "model/collections.hpp"

namespace reddalert::lsp {

namespace {

std::string code_block(const std::string& text) { return "```reddalert\n" + text + "\n```"; }

std::string def_text(const ast::Def& d) {
  std::string params;
  for (const std::string& p : d.params) params += (params.empty() ? "" : ", ") + p;
  return "def " + d.name + "(" + params + ") = " + format::format_expression(*d.body);
}

std::string symbol_text(const Analysis& a, const Symbol& s) {
  using SK = Symbol::Kind;
  switch (s.kind) {
    case SK::Const: {
      const auto* c = static_cast<const ast::Const*>(s.decl);
      return code_block("const " + c->name + " = " + format::format_expression(*c->value));
    }
    case SK::Def: return code_block(def_text(*static_cast<const ast::Def*>(s.decl)));
    case SK::Let: {
      const auto* l = static_cast<const ast::Let*>(s.decl);
      return code_block("let " + l->name + " = " + format::format_expression(*l->value));
    }
    case SK::Param: {
      const auto* p = static_cast<const ast::Param*>(s.decl);
      std::string out = code_block("param " + p->name + " = " + format::format_expression(*p->value)) +
                        "\n\ndefault: `" + format::format_expression(*p->value) + "`";
      const auto& overrides = a.program().overrides;
      const auto pol = s.policy ? overrides.find(s.policy->name) : overrides.end();
      if (pol != overrides.end()) {
        if (const auto v = pol->second.find(p->name); v != pol->second.end()) {
          return out + "\n\nconfigured: `" +
                 v->second.value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "` (" +
                 v->second.location.str() + ")";
        }
      }
      return out + "\n\nnot set in the configuration";
    }
    case SK::Local: return {};
  }
  return {};
}

std::string field_text(const Analysis& a, const ast::Expr& e, const ast::Field& f) {
  const check::CheckedProgram& p = a.program();
  const check::Type& base = p.types[f.base->id];
  std::string where = base.collection.empty() ? "" : " of `" + base.collection + "` documents";
  if (base.kind == check::Type::Kind::Map && base.schema) {
    const model::SchemaField* entry = base.schema->field_entry(f.name);
    if (entry == nullptr) return "field `" + f.name + "`" + where + ": not in the schema";
    return "field `" + f.name + "`" + where + ": " + describe_type(p.types[e.id]) +
           (entry->optional ? "; EDDA may omit it (it reads as null)" : "") +
           (entry->example.empty() ? "" : "\n\nexample: `" + entry->example + "`");
  }
  return "field `" + f.name + "`";
}

nlohmann::json result(const std::string& markdown, const base::Location& at) {
  if (markdown.empty()) return nullptr;
  return {{"contents", {{"kind", "markdown"}, {"value", markdown}}}, {"range", range(at)}};
}

}  // namespace

std::string describe_type(const check::Type& t) {
  using TK = check::Type::Kind;
  if (t.kind == TK::Map && !t.collection.empty()) return "a `" + t.collection + "` document";
  if (t.kind == TK::List && t.element && t.element->known()) return "a list of " + describe_type(*t.element);
  if (t.kind == TK::Map && t.schema) {
    const auto names = t.schema->field_names();
    std::string fields;
    for (std::size_t i = 0; i < names.size() && i < 8; ++i) fields += (i ? ", " : "") + names[i];
    if (names.size() > 8) fields += ", ...";
    return "an object {" + fields + "}";
  }
  const std::string kind = check::describe(t.kind);
  if (t.kind == TK::Unknown) return "a value lint cannot type";
  return (kind[0] == 'a' || kind[0] == 'e' || kind[0] == 'i' || kind[0] == 'o' || kind[0] == 'u' ? "an " : "a ") + kind;
}

nlohmann::json hover(const Analysis& a, std::size_t offset) {
  if (!a.module) return nullptr;
  const Hit hit = locate(a.module->module, offset);
  using K = Hit::Kind;
  const check::CheckedProgram& p = a.program();
  if (hit.kind == K::Field) return result(field_text(a, *hit.expr, *hit.expr->as<ast::Field>()), hit.location);
  if (hit.kind == K::Expr) {
    const ast::Expr& e = *hit.expr;
    if (const auto* c = e.as<ast::CollectionRef>()) {
      const model::CollectionInfo* info = model::find_collection(c->full_name());
      if (!info) return nullptr;
      return result("collection `" + info->name + "`" + (c->changed ? " (resources changed in the window)" : "") +
                        ": a list of documents, identified by `" + info->id_field + "`, with " +
                        std::to_string(info->schema->field_names().size()) + " known fields",
                    hit.location);
    }
    if (e.as<ast::Name>() || e.as<ast::Call>()) {
      const check::Ref& r = p.ref(e);
      if (r.kind == check::Ref::Kind::Builtin) {
        const lang::BuiltinSignature* b = lang::find_builtin(r.name);
        if (b) return result(code_block(b->usage) + "\n\n" + b->summary, hit.location);
      }
      if (r.kind == check::Ref::Kind::Now)
        return result("`now`: the end of the window (epoch milliseconds)", hit.location);
      if (r.kind == check::Ref::Kind::Since)
        return result("`since`: the start of the window (epoch milliseconds)", hit.location);
      if (r.kind == check::Ref::Kind::Local)
        return result("`" + r.name + "`: " + describe_type(p.types[e.id]), hit.location);
    }
  }
  if (hit.kind == K::Binder && hit.expr == nullptr && hit.decl) {
    // A `for` or `let` clause: what it binds is its expression's type (an element of it for `for`).
    for (const auto& pol : a.module->module.policies) {
      for (const auto& c : pol.clauses) {
        if (&c != hit.decl) continue;
        const check::Type& t = p.types[c.expr->id];
        return result("`" + c.name + "`: " + describe_type(c.kind == ast::ClauseKind::For ? t.element_type() : t),
                      hit.location);
      }
    }
  }
  if (const std::optional<Symbol> s = symbol_of(a, hit, offset)) return result(symbol_text(a, *s), hit.location);
  return nullptr;
}

}  // namespace reddalert::lsp
