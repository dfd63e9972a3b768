// Name resolution, types, collection schemas and lint rules over a loaded Workspace.
#include <algorithm>
#include <functional>
#include <set>

#include <re2/re2.h>

#include "base/text.hpp"
#include "check/check.hpp"
#include "check/types.hpp"
#include "eval/builtins.hpp"
#include "model/collections.hpp"

namespace reddalert::check {

namespace {

using TK = Type::Kind;
using base::Location;

struct Global {
  enum class Kind { Const, Def, Let } kind;
  int index;
  Location location;
  const ast::Expr* value;  // const or let value, def body
  const ast::Def* def = nullptr;
};

struct Local {
  std::string name;
  int slot;
  Location location;
  Type type;
  bool used = false;
  bool warn_unused = false;
};

const char* const kSeverities[] = {"info", "low", "medium", "high", "critical"};

class Checker {
 public:
  Checker(const Workspace& ws, CheckResult& out) : ws_(ws), out_(out), diags_(out.diagnostics) {}

  void run() {
    out_.program.workspace = &ws_;
    collect_globals();
    check_policy_names();
    for (std::size_t m = 0; m < ws_.modules.size(); ++m) {
      module_ = m;
      const ast::Module& mod = ws_.modules[m].module;
      for (const auto& c : mod.consts) check_const(c);
      for (const auto& d : mod.defs) check_def(d);
      for (const auto& l : mod.lets) check_let(l);
      for (const auto& p : mod.policies) check_policy(p);
    }
    check_recursion();
  }

 private:
  // ---- globals -------------------------------------------------------------------------
  void collect_globals() {
    scopes_.resize(ws_.modules.size());
    for (std::size_t m = 0; m < ws_.modules.size(); ++m) {
      const ast::Module& mod = ws_.modules[m].module;
      for (const auto& c : mod.consts) {
        declare(m, c.name,
                {Global::Kind::Const, static_cast<int>(out_.program.consts.size()), c.location, c.value.get()});
        out_.program.consts.push_back(&c);
      }
      for (const auto& d : mod.defs) {
        Global g{Global::Kind::Def, static_cast<int>(out_.program.defs.size()), d.location, d.body.get()};
        g.def = &d;
        declare(m, d.name, g);
        out_.program.defs.push_back(&d);
      }
      for (const auto& l : mod.lets) {
        declare(m, l.name, {Global::Kind::Let, static_cast<int>(out_.program.lets.size()), l.location, l.value.get()});
        out_.program.lets.push_back(&l);
      }
      for (const auto& p : mod.policies) out_.program.policies.push_back(&p);
    }
    // An imported name may not clash with a local declaration, nor with a name that
    // another import brings in.
    for (std::size_t m = 0; m < ws_.modules.size(); ++m) {
      std::map<std::string, Location> imported;
      for (const std::size_t imp : ws_.modules[m].imports) {
        for (const auto& [name, g] : scopes_[imp]) {
          if (const auto it = scopes_[m].find(name); it != scopes_[m].end()) {
            duplicate(name, it->second.location, g.location);
          } else if (const auto [prev, fresh] = imported.emplace(name, g.location);
                     !fresh && prev->second.file != g.location.file) {
            duplicate(name, g.location, prev->second);
          }
        }
      }
    }
  }

  void declare(std::size_t m, const std::string& name, Global g) {
    if (const auto it = scopes_[m].find(name); it != scopes_[m].end()) {
      duplicate(name, g.location, it->second.location);
      return;
    }
    scopes_[m].emplace(name, g);
  }

  void duplicate(const std::string& name, const Location& here, const Location& first) {
    base::Diagnostic d{base::Severity::Error, "E0105", here, "`" + name + "` is defined twice",
                       "rename one of them",  {}};
    d.notes.push_back({first, "first defined here"});
    diags_.add(std::move(d));
  }

  void check_policy_names() {
    std::map<std::string, const ast::Policy*> seen;
    for (const ast::Policy* p : out_.program.policies) {
      const auto [it, fresh] = seen.emplace(p->name, p);
      if (!fresh) {
        base::Diagnostic d{base::Severity::Error,
                           "E0118",
                           p->location,
                           "policy `" + p->name + "` is defined twice",
                           "policy names are unique across every loaded file",
                           {}};
        d.notes.push_back({it->second->location, "first defined here"});
        diags_.add(std::move(d));
      }
    }
  }

  // ---- frames and locals ---------------------------------------------------------------
  void begin_frame(const void* owner) {
    frame_owner_ = owner;
    next_slot_ = 0;
    locals_.clear();
    locals_.emplace_back();
  }
  void end_frame() {
    for (const auto& scope : locals_) warn_unused(scope);
    out_.program.frame_sizes[frame_owner_] = std::max(next_slot_, 1);
    locals_.clear();
  }
  void push_scope() { locals_.emplace_back(); }
  void pop_scope() {
    warn_unused(locals_.back());
    locals_.pop_back();
  }
  void warn_unused(const std::vector<Local>& scope) {
    for (const Local& l : scope) {
      if (l.warn_unused && !l.used && l.name[0] != '_') {
        diags_.warning("W0201", l.location, "`" + l.name + "` is never used",
                       "remove it, or name it `_" + l.name + "`");
      }
    }
  }
  int bind(const void* binder, const std::string& name, const Location& loc, Type type, bool warn_unused = false) {
    for (const Local& l : locals_.back()) {
      if (l.name == name) duplicate(name, loc, l.location);
    }
    const int slot = next_slot_++;
    locals_.back().push_back({name, slot, loc, std::move(type), false, warn_unused});
    out_.program.slots[binder] = slot;
    return slot;
  }

  // ---- declarations --------------------------------------------------------------------
  void check_const(const ast::Const& c) {
    begin_frame(&c);
    in_const_ = true;
    infer(*c.value);
    in_const_ = false;
    end_frame();
  }

  void check_def(const ast::Def& d) {
    begin_frame(&d);
    current_def_ = &d;
    for (std::size_t i = 0; i < d.params.size(); ++i)
      bind(&d.param_locations[i], d.params[i], d.param_locations[i], Type{}, true);
    infer(*d.body);
    current_def_ = nullptr;
    end_frame();
  }

  void check_let(const ast::Let& l) {
    begin_frame(&l);
    current_let_ = &l;
    infer(*l.value);
    current_let_ = nullptr;
    end_frame();
  }

  void check_policy(const ast::Policy& p) {
    policy_ = &p;
    begin_frame(&p);
    check_meta(p);
    std::set<std::string> param_names;
    for (const auto& prm : p.params) {
      if (!param_names.insert(prm.name).second) {
        for (const auto& other : p.params) {
          if (other.name == prm.name && &other != &prm) {
            duplicate(prm.name, prm.location, other.location);
            break;
          }
        }
      }
      in_const_ = true;
      const Type t = infer(*prm.value);
      in_const_ = false;
      check_override(p, prm, t);
    }
    for (const auto& c : p.clauses) {
      const Type t = infer(*c.expr);
      switch (c.kind) {
        case ast::ClauseKind::For:
          if (t.known() && t.kind != TK::List && t.kind != TK::Map && t.kind != TK::Null) {
            mismatch(c.expr->location, std::string("`for` iterates over a list or a map, not a ") + describe(t.kind));
          }
          bind(&c, c.name, c.name_location, t.element_type(), true);
          break;
        case ast::ClauseKind::Let: bind(&c, c.name, c.name_location, t, true); break;
        case ast::ClauseKind::Where:
          if (t.known() && t.kind != TK::Bool) {
            mismatch(c.expr->location, std::string("`where` needs a boolean condition, found a ") + describe(t.kind),
                     "compare it, e.g. `where x != null`");
          }
          break;
      }
    }
    if (p.alert) infer(*p.alert);
    if (p.message) infer(*p.message);
    if (p.details) infer(*p.details);
    end_frame();
    policy_ = nullptr;
  }

  void check_meta(const ast::Policy& p) {
    bool has_description = false;
    for (const auto& m : p.meta) {
      const ast::Expr& v = *m.value;
      if (m.key == "severity") {
        const auto* name = v.as<ast::Name>();
        const bool ok = name && std::any_of(std::begin(kSeverities), std::end(kSeverities),
                                            [&](const char* s) { return name->name == s; });
        if (!ok && name) {
          const std::string dym =
              base::did_you_mean(name->name, std::vector<std::string>(std::begin(kSeverities), std::end(kSeverities)));
          diags_.error("E0301", v.location, "unknown severity `" + name->name + "`",
                       dym.empty() ? "use one of: info, low, medium, high, critical" : dym);
        } else if (!ok) {
          diags_.error("E0301", v.location, "a severity is a bare word",
                       "write `info`, `low`, `medium`, `high` or `critical` without quotes, e.g. `severity high`");
        }
        continue;
      }
      in_const_ = true;
      const Type t = infer(v);
      in_const_ = false;
      // Kinds that are certain now are reported now; the rest once the value is computed
      // (compile/, same code).
      const TK want = m.key == "version" ? TK::Number : m.key == "tags" ? TK::List : TK::String;
      if (t.known() && t.kind != want) {
        diags_.error("E0302", v.location,
                     "`" + m.key + "` must be " +
                         (m.key == "version" ? "a positive integer"
                          : m.key == "tags"  ? "a list of strings"
                                             : "a string"));
      }
      if (m.key == "description") has_description = true;
    }
    if (!has_description) {
      diags_.warning("W0203", p.location, "policy `" + p.name + "` has no `description`",
                     "say what it catches and why it matters; `reddalert doc` and alert readers show it");
    }
  }

  void check_override(const ast::Policy& p, const ast::Param& prm, const Type& t) {
    const auto pit = overrides_.find(p.name);
    if (pit == overrides_.end()) return;
    const auto it = pit->second.find(prm.name);
    if (it == pit->second.end()) return;
    const eval::Kind k = it->second.value.kind();
    const TK have = k == eval::Kind::Number   ? TK::Number
                    : k == eval::Kind::String ? TK::String
                    : k == eval::Kind::Bool   ? TK::Bool
                    : k == eval::Kind::List   ? TK::List
                    : k == eval::Kind::Map    ? TK::Map
                    : k == eval::Kind::Null   ? TK::Null
                                              : TK::Unknown;
    if (t.known() && have != t.kind && !(t.kind == TK::Null || have == TK::Null)) {
      base::Diagnostic d{base::Severity::Error,
                         "E0117",
                         it->second.location,
                         "param `" + prm.name + "` of policy `" + p.name + "` must be a " + describe(t.kind) +
                             " like its default, not a " + describe(have),
                         "",
                         {}};
      d.notes.push_back({prm.location, "the param is declared here"});
      diags_.add(std::move(d));
    }
  }

  // ---- expressions ---------------------------------------------------------------------
  void mismatch(const Location& loc, std::string message, std::string hint = {}) {
    diags_.error("E0201", loc, std::move(message), std::move(hint));
  }

  std::vector<std::string> visible_names() const {
    std::vector<std::string> out;
    for (const auto& scope : locals_) {
      for (const Local& l : scope) out.push_back(l.name);
    }
    if (policy_) {
      for (const auto& p : policy_->params) out.push_back(p.name);
    }
    for (const auto& [n, g] : scopes_[module_]) out.push_back(n);
    for (const std::size_t imp : ws_.modules[module_].imports) {
      for (const auto& [n, g] : scopes_[imp]) out.push_back(n);
    }
    out.emplace_back("now");
    out.emplace_back("since");
    return out;
  }

  const Global* find_global(const std::string& name) const {
    if (const auto it = scopes_[module_].find(name); it != scopes_[module_].end()) return &it->second;
    for (const std::size_t imp : ws_.modules[module_].imports) {
      if (const auto it = scopes_[imp].find(name); it != scopes_[imp].end()) return &it->second;
    }
    return nullptr;
  }

  Type resolve_name(const ast::Expr& e, const std::string& name) {
    for (auto scope = locals_.rbegin(); scope != locals_.rend(); ++scope) {
      for (auto l = scope->rbegin(); l != scope->rend(); ++l) {
        if (l->name == name) {
          l->used = true;
          out_.program.refs[&e] = {Ref::Kind::Local, l->slot, name};
          return l->type;
        }
      }
    }
    if (policy_) {
      for (std::size_t i = 0; i < policy_->params.size(); ++i) {
        if (policy_->params[i].name == name) {
          out_.program.refs[&e] = {Ref::Kind::Param, static_cast<int>(i), name};
          return const_type(*policy_->params[i].value);
        }
      }
    }
    if (const Global* g = find_global(name)) {
      switch (g->kind) {
        case Global::Kind::Const:
          out_.program.refs[&e] = {Ref::Kind::Const, g->index, name};
          return const_type(*g->value);
        case Global::Kind::Let:
          if (in_const_) {
            diags_.error("E0116", e.location, "`" + name + "` is a run-time value and cannot be used in a constant",
                         "constants, params and metadata are computed before any data is read");
          }
          out_.program.refs[&e] = {Ref::Kind::Let, g->index, name};
          if (current_let_) let_edges_[current_let_].insert(g->index);
          if (current_def_) def_reads_[current_def_].insert(g->index);
          return Type{};
        case Global::Kind::Def:
          diags_.error("E0110", e.location, "`" + name + "` is a function; call it as `" + name + "(...)`");
          return Type{};
      }
    }
    if (name == "now" || name == "since") {
      if (in_const_) diags_.error("E0116", e.location, "`" + name + "` is only known at run time", "");
      out_.program.refs[&e] = {name == "now" ? Ref::Kind::Now : Ref::Kind::Since, -1, name};
      return Type::of(TK::Number);
    }
    std::string hint = base::did_you_mean(name, visible_names());
    if (find_builtin(name)) hint = "`" + name + "` is a function; call it as `" + name + "(...)`";
    diags_.error("E0101", e.location, "unknown name `" + name + "`", hint);
    return Type{};
  }

  const eval::Builtin* find_builtin(const std::string& name) const { return eval::find_builtin(name); }

  // Types of constant expressions are inferred without side tables (they may be visited twice).
  Type const_type(const ast::Expr& e) {
    if (e.as<ast::NumberLit>() || e.as<ast::DurationLit>()) return Type::of(TK::Number);
    if (e.as<ast::TemplateString>() || e.as<ast::RawString>()) return Type::of(TK::String);
    if (e.as<ast::BoolLit>()) return Type::of(TK::Bool);
    if (e.as<ast::ListLit>()) return Type::of(TK::List);
    if (e.as<ast::MapLit>()) return Type::of(TK::Map);
    if (e.as<ast::RegexLit>()) return Type::of(TK::Regex);
    if (const auto* b = e.as<ast::Binary>(); b && b->op == ast::BinaryOp::Range) return Type::of(TK::Range);
    if (e.as<ast::NullLit>()) return Type::of(TK::Null);
    return Type{};
  }

  Type infer(const ast::Expr& e) {
    return std::visit([&](const auto& n) { return infer_node(e, n); }, e.node);
  }

  Type infer_node(const ast::Expr&, const ast::NullLit&) { return Type::of(TK::Null); }
  Type infer_node(const ast::Expr&, const ast::BoolLit&) { return Type::of(TK::Bool); }
  Type infer_node(const ast::Expr&, const ast::NumberLit&) { return Type::of(TK::Number); }
  Type infer_node(const ast::Expr&, const ast::DurationLit&) { return Type::of(TK::Number); }
  Type infer_node(const ast::Expr&, const ast::RawString&) { return Type::of(TK::String); }
  Type infer_node(const ast::Expr&, const ast::TemplateString& s) {
    for (const auto& part : s.parts) {
      if (const auto* x = std::get_if<ast::ExprPtr>(&part)) infer(**x);
    }
    return Type::of(TK::String);
  }
  Type infer_node(const ast::Expr& e, const ast::RegexLit& r) {
    const RE2 re(r.pattern, RE2::Quiet);
    if (!re.ok())
      diags_.error("E0111", e.location, "invalid regular expression: " + re.error(),
                   "the syntax is RE2's: https://github.com/google/re2/wiki/Syntax");
    return Type::of(TK::Regex);
  }
  Type infer_node(const ast::Expr&, const ast::ListLit& l) {
    Type elem;
    bool first = true;
    for (const auto& i : l.items) {
      const Type t = infer(*i);
      if (first)
        elem = t;
      else if (t.kind != elem.kind)
        elem = Type{};
      first = false;
    }
    return Type::list_of(elem);
  }
  Type infer_node(const ast::Expr&, const ast::MapLit& m) {
    std::map<std::string, Location> seen;
    for (const auto& entry : m.entries) {
      if (const auto [it, fresh] = seen.emplace(entry.key, entry.key_location); !fresh) {
        duplicate(entry.key, entry.key_location, it->second);
      }
      infer(*entry.value);
    }
    return Type::of(TK::Map);
  }
  Type infer_node(const ast::Expr& e, const ast::Name& n) { return resolve_name(e, n.name); }
  Type infer_node(const ast::Expr& e, const ast::CollectionRef& c) {
    const std::string full = c.full_name();
    if (in_const_)
      diags_.error("E0116", e.location,
                   "collection `" + full + "` is read at run time and cannot be used in a constant", "");
    const model::CollectionInfo* info = model::find_collection(full);
    if (!info) {
      std::string hint = base::did_you_mean(full, model::collection_names());
      if (hint.empty()) hint = "collections are named as EDDA names them, e.g. `aws.securityGroups`, `view.instances`";
      diags_.error("E0102", e.location, "unknown collection `" + full + "`", hint);
      return Type::list_of(Type{});
    }
    Type doc = Type::from_schema(info->schema.get());
    doc.collection = full;
    return Type::list_of(doc);
  }
  Type infer_node(const ast::Expr&, const ast::Field& f) {
    const Type base = infer(*f.base);
    if (base.kind == TK::Map && base.schema) {
      const model::Schema* s = base.schema->field(f.name);
      if (s) return Type::from_schema(s);
      if (!base.schema->open) {
        std::string hint = base::did_you_mean(f.name, base.schema->field_names());
        if (hint.empty()) hint = "known fields: " + base::join(base.schema->field_names(), ", ");
        hint += hint.empty() ? "" : "; write x[\"" + f.name + "\"] for a field the schema does not list";
        diags_.error("E0203", f.name_location,
                     "no field `" + f.name + "` in " +
                         (base.collection.empty() ? "this document" : base.collection + " documents"),
                     hint);
      }
      return Type{};
    }
    if (base.known() && base.kind != TK::Map && base.kind != TK::Null) {
      mismatch(f.name_location, std::string("`.") + f.name + "` reads a field, but this is a " + describe(base.kind),
               base.kind == TK::List ? "use `[*]." + f.name + "` to read it from every element" : "");
    }
    return Type{};
  }
  Type infer_node(const ast::Expr&, const ast::Index& i) {
    const Type base = infer(*i.base);
    const Type idx = infer(*i.index);
    if (base.kind == TK::List) return base.element_type();
    if (base.kind == TK::Map && base.schema && i.index->as<ast::TemplateString>()) return Type{};
    (void)idx;
    return Type{};
  }
  Type infer_node(const ast::Expr&, const ast::Elem&) { return elem_type_; }
  Type infer_node(const ast::Expr& e, const ast::Projection& p) {
    const Type base = infer(*p.base);
    const Type saved = elem_type_;
    elem_type_ = base.element_type();
    push_scope();
    bind(&e, "[*]", e.location, elem_type_);
    locals_.back().back().used = true;
    const Type per = infer(*p.per_element);
    pop_scope();
    elem_type_ = saved;
    return Type::list_of(per.kind == TK::List ? per.element_type() : per);
  }
  Type infer_node(const ast::Expr& e, const ast::Call& c) {
    std::vector<Type> args;
    for (const auto& a : c.args) args.push_back(infer(*a));
    const int n = static_cast<int>(c.args.size());
    if (const Global* g = find_global(c.name); g && g->kind == Global::Kind::Def) {
      out_.program.refs[&e] = {Ref::Kind::Def, g->index, c.name};
      if (static_cast<std::size_t>(n) != g->def->params.size()) {
        diags_.error("E0109", c.name_location,
                     "`" + c.name + "` takes " + std::to_string(g->def->params.size()) + " argument(s), given " +
                         std::to_string(n),
                     "it is declared as `def " + c.name + "(" + base::join(g->def->params, ", ") + ")`");
      }
      if (current_def_) def_edges_[current_def_].insert(g->def);
      if (current_let_) let_calls_[current_let_].insert(g->def);
      return Type{};
    }
    const eval::Builtin* b = find_builtin(c.name);
    if (!b) {
      std::vector<std::string> fns = eval::builtin_names();
      for (const auto& [name, g] : scopes_[module_]) {
        if (g.kind == Global::Kind::Def) fns.push_back(name);
      }
      diags_.error("E0104", c.name_location, "unknown function `" + c.name + "`", base::did_you_mean(c.name, fns));
      return Type{};
    }
    out_.program.refs[&e] = {Ref::Kind::Builtin, -1, c.name};
    if (n < b->min_args || (b->max_args >= 0 && n > b->max_args)) {
      const std::string expected = b->min_args == b->max_args
                                       ? std::to_string(b->min_args)
                                       : std::to_string(b->min_args) + " to " + std::to_string(b->max_args);
      diags_.error("E0109", c.name_location,
                   "`" + c.name + "` takes " + expected + " argument(s), given " + std::to_string(n),
                   std::string("usage: ") + b->signature);
    }
    if (in_const_ && !b->pure) {
      diags_.error("E0116", c.name_location, "`" + c.name + "` depends on the run and cannot be used in a constant",
                   "");
    }
    const std::string name = c.name;
    const bool higher_order = name == "filter" || name == "map" || name == "sort_by" || name == "group_by";
    if (higher_order && args.size() == 2 && args[1].known() && args[1].kind != TK::Function) {
      mismatch(c.args[1]->location, "`" + name + "` needs a function as its second argument, e.g. `x => x.name`");
    }
    if (name == "previous" && !args.empty() && args[0].kind == TK::Map && !args[0].collection.empty()) {
      out_.program.previous_collections[&e] = args[0].collection;
    }
    if (name == "previous" && !args.empty() && args[0].known() && args[0].collection.empty()) {
      mismatch(c.args[0]->location, "previous() needs a resource document taken from a collection",
               "e.g. `previous(sg)` after `for sg in changed aws.securityGroups`");
    }
    switch (b->result) {
      case eval::ResultKind::Bool: return Type::of(TK::Bool);
      case eval::ResultKind::Number: return Type::of(TK::Number);
      case eval::ResultKind::String: return Type::of(TK::String);
      case eval::ResultKind::List: {
        if ((name == "sort" || name == "unique" || name == "filter" || name == "sort_by") && !args.empty())
          return args[0];
        return Type::of(TK::List);
      }
      case eval::ResultKind::Map: return Type::of(TK::Map);
      case eval::ResultKind::Any:
        if ((name == "first" || name == "last" || name == "min" || name == "max") && !args.empty())
          return args[0].element_type();
        if (name == "previous" && !args.empty()) return args[0];
        return Type{};
    }
    return Type{};
  }
  Type infer_node(const ast::Expr& e, const ast::Negate& n) {
    const Type t = infer(*n.operand);
    if (t.known() && t.kind != TK::Number && t.kind != TK::Null)
      mismatch(e.location, std::string("cannot negate a ") + describe(t.kind));
    return Type::of(TK::Number);
  }
  Type infer_node(const ast::Expr&, const ast::Not& n) {
    infer(*n.operand);
    return Type::of(TK::Bool);
  }
  static bool scalar(TK k) { return k == TK::Number || k == TK::String || k == TK::Bool; }
  Type infer_node(const ast::Expr& e, const ast::Binary& b) {
    using Op = ast::BinaryOp;
    const Type l = infer(*b.lhs);
    const Type r = infer(*b.rhs);
    const std::string op = ast::spelling(b.op);
    switch (b.op) {
      case Op::Coalesce: return l.kind == TK::Null ? r : (l.known() ? l : r);
      case Op::Or:
      case Op::And: return Type::of(TK::Bool);
      case Op::Eq:
      case Op::Ne:
        if (scalar(l.kind) && scalar(r.kind) && l.kind != r.kind) {
          mismatch(
              e.location,
              "comparing a " + std::string(describe(l.kind)) + " with a " + describe(r.kind) + " is always " +
                  (b.op == Op::Eq ? "false" : "true"),
              l.kind == TK::Number || r.kind == TK::Number ? "ports and times are numbers: write 22, not \"22\"" : "");
        }
        return Type::of(TK::Bool);
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
        if ((l.known() && l.kind != TK::Null && l.kind != TK::Number && l.kind != TK::String) ||
            (r.known() && r.kind != TK::Null && r.kind != TK::Number && r.kind != TK::String) ||
            (scalar(l.kind) && scalar(r.kind) && l.kind != r.kind)) {
          mismatch(e.location, "`" + op + "` orders two numbers or two strings, not a " + describe(l.kind) + " and a " +
                                   describe(r.kind));
        }
        return Type::of(TK::Bool);
      case Op::In:
      case Op::NotIn:
        if (r.known() &&
            (r.kind == TK::Number || r.kind == TK::Bool || r.kind == TK::Regex || r.kind == TK::Function)) {
          mismatch(b.rhs->location,
                   "`" + op + "` needs a list, map, string or range on the right, not a " + describe(r.kind));
        }
        return Type::of(TK::Bool);
      case Op::Within:
      case Op::NotWithin:
        if (l.known() && l.kind != TK::String && l.kind != TK::Number && l.kind != TK::Range && l.kind != TK::Null) {
          mismatch(b.lhs->location,
                   "`" + op + "` needs an IP or CIDR string, or a number, on the left, not a " + describe(l.kind));
        }
        check_cidr_constants(*b.rhs);
        return Type::of(TK::Bool);
      case Op::Matches:
      case Op::NotMatches:
        if (r.known() && r.kind != TK::Regex && r.kind != TK::String) {
          mismatch(b.rhs->location, "`" + op + "` needs a regex or a string on the right, not a " + describe(r.kind));
        }
        if (l.known() && l.kind != TK::String && l.kind != TK::Null) {
          mismatch(b.lhs->location, "`" + op + "` needs a string on the left, not a " + describe(l.kind));
        }
        return Type::of(TK::Bool);
      case Op::Range:
        if ((l.known() && l.kind != TK::Number) || (r.known() && r.kind != TK::Number)) {
          mismatch(e.location, "a range `a..b` needs two numbers");
        }
        return Type::of(TK::Range);
      case Op::Add:
        if (l.kind == TK::String && r.kind == TK::String) return Type::of(TK::String);
        if (l.kind == TK::List && r.kind == TK::List) return l;
        [[fallthrough]];
      case Op::Sub:
        if (b.op == Op::Sub && l.kind == TK::List && r.kind == TK::List) return l;
        [[fallthrough]];
      default:
        if ((l.known() && l.kind != TK::Number && l.kind != TK::Null) ||
            (r.known() && r.kind != TK::Number && r.kind != TK::Null)) {
          if (l.known() && r.known()) {
            mismatch(e.location,
                     "`" + op + "` cannot combine a " + std::string(describe(l.kind)) + " and a " + describe(r.kind),
                     b.op == Op::Add
                         ? "`+` adds numbers and joins two strings or two lists; use \"{a}{b}\" to build text"
                         : "");
          }
        }
        return Type::of(TK::Number);
    }
  }
  // Literal CIDRs are validated at lint time.
  void check_cidr_constants(const ast::Expr& rhs) {
    auto check_one = [&](const ast::Expr& x) {
      const auto* ts = x.as<ast::TemplateString>();
      if (ts && ts->parts.size() == 1 && std::holds_alternative<std::string>(ts->parts[0])) {
        const std::string& s = std::get<std::string>(ts->parts[0]);
        if (!eval_cidr_ok(s))
          diags_.error("E0112", x.location, "invalid CIDR \"" + s + "\"",
                       "write an address or block like \"10.0.0.0/8\" or \"2001:db8::/32\"");
      }
    };
    if (const auto* l = rhs.as<ast::ListLit>()) {
      for (const auto& i : l->items) check_one(*i);
    } else {
      check_one(rhs);
    }
  }
  static bool eval_cidr_ok(const std::string& s);
  Type infer_node(const ast::Expr&, const ast::Conditional& c) {
    const Type cond = infer(*c.cond);
    if (cond.known() && cond.kind != TK::Bool && cond.kind != TK::Null) {
      mismatch(c.cond->location, std::string("`if` needs a boolean condition, found a ") + describe(cond.kind));
    }
    const Type a = infer(*c.then_expr);
    const Type b = infer(*c.else_expr);
    return a.kind == b.kind ? a : Type{};
  }
  Type iterate(const ast::Expr& source) {
    const Type t = infer(source);
    if (t.known() && t.kind != TK::List && t.kind != TK::Map && t.kind != TK::Null) {
      mismatch(source.location,
               std::string("cannot iterate over a ") + describe(t.kind) + "; expected a list or a map");
    }
    return t.element_type();
  }
  Type infer_node(const ast::Expr& e, const ast::Quantifier& q) {
    const Type elem = iterate(*q.source);
    push_scope();
    bind(&e, q.var, q.var_location, elem, true);
    infer(*q.cond);
    pop_scope();
    return Type::of(q.kind == ast::QuantifierKind::Count ? TK::Number : TK::Bool);
  }
  Type infer_node(const ast::Expr& e, const ast::ListComp& c) {
    const Type elem = iterate(*c.source);
    push_scope();
    bind(&e, c.var, c.var_location, elem, true);
    const Type t = infer(*c.element);
    if (c.filter) infer(*c.filter);
    pop_scope();
    return Type::list_of(t);
  }
  Type infer_node(const ast::Expr& e, const ast::MapComp& c) {
    const Type elem = iterate(*c.source);
    push_scope();
    bind(&e, c.var, c.var_location, elem, true);
    infer(*c.key);
    infer(*c.value);
    if (c.filter) infer(*c.filter);
    pop_scope();
    return Type::of(TK::Map);
  }
  Type infer_node(const ast::Expr& e, const ast::Lambda& l) {
    push_scope();
    bind(&e, l.param, l.param_location, Type{}, true);
    infer(*l.body);
    pop_scope();
    return Type::of(TK::Function);
  }

  // ---- recursion -----------------------------------------------------------------------
  void check_recursion() {
    // Defs calling themselves, directly or through others.
    std::set<const ast::Def*> reported;
    for (const auto& [def, callees] : def_edges_) {
      std::vector<const ast::Def*> path{def};
      std::set<const ast::Def*> visited;
      std::function<bool(const ast::Def*)> reaches = [&](const ast::Def* d) -> bool {
        const auto it = def_edges_.find(d);
        if (it == def_edges_.end()) return false;
        for (const ast::Def* next : it->second) {
          if (next == def) {
            path.push_back(next);
            return true;
          }
          if (visited.insert(next).second) {
            path.push_back(next);
            if (reaches(next)) return true;
            path.pop_back();
          }
        }
        return false;
      };
      if (reaches(def) && reported.insert(def).second) {
        std::vector<std::string> names;
        for (const ast::Def* d : path) names.push_back(d->name);
        diags_.error("E0108", def->location, "`" + def->name + "` is recursive: " + base::join(names, " -> "),
                     "policies must terminate; replace recursion with a comprehension or a builtin");
      }
    }
    // Top-level lets that depend on themselves, directly, through other lets, or through
    // the defs they call.
    for (const ast::Let* let : out_.program.lets) {
      const std::set<int> deps = let_dependencies(let);
      std::set<int> seen;
      std::vector<int> todo(deps.begin(), deps.end());
      const int self = index_of_let(let);
      while (!todo.empty()) {
        const int i = todo.back();
        todo.pop_back();
        if (i == self) {
          diags_.error("E0108", let->location, "`" + let->name + "` depends on itself",
                       "a top-level `let` cannot refer to itself, directly or through other `let`s and `def`s");
          break;
        }
        if (!seen.insert(i).second) continue;
        const std::set<int> next = let_dependencies(out_.program.lets[static_cast<std::size_t>(i)]);
        todo.insert(todo.end(), next.begin(), next.end());
      }
    }
  }
  // The lets that `let` reads directly or through the defs it calls (transitively).
  std::set<int> let_dependencies(const ast::Let* let) const {
    std::set<int> out;
    if (const auto it = let_edges_.find(let); it != let_edges_.end()) out = it->second;
    std::set<const ast::Def*> seen;
    std::vector<const ast::Def*> todo;
    if (const auto it = let_calls_.find(let); it != let_calls_.end()) todo.assign(it->second.begin(), it->second.end());
    while (!todo.empty()) {
      const ast::Def* d = todo.back();
      todo.pop_back();
      if (!seen.insert(d).second) continue;
      if (const auto it = def_reads_.find(d); it != def_reads_.end()) out.insert(it->second.begin(), it->second.end());
      if (const auto it = def_edges_.find(d); it != def_edges_.end())
        todo.insert(todo.end(), it->second.begin(), it->second.end());
    }
    return out;
  }

  int index_of_let(const ast::Let* l) const {
    for (std::size_t i = 0; i < out_.program.lets.size(); ++i) {
      if (out_.program.lets[i] == l) return static_cast<int>(i);
    }
    return -1;
  }

 public:
  ParamOverrides overrides_;

 private:
  const Workspace& ws_;
  CheckResult& out_;
  base::Diagnostics& diags_;
  std::vector<std::map<std::string, Global>> scopes_;
  std::size_t module_ = 0;
  std::vector<std::vector<Local>> locals_;
  const void* frame_owner_ = nullptr;
  int next_slot_ = 0;
  const ast::Policy* policy_ = nullptr;
  const ast::Def* current_def_ = nullptr;
  const ast::Let* current_let_ = nullptr;
  bool in_const_ = false;
  Type elem_type_;
  std::map<const ast::Def*, std::set<const ast::Def*>> def_edges_;
  std::map<const ast::Let*, std::set<int>> let_edges_;              // let -> lets it reads
  std::map<const ast::Let*, std::set<const ast::Def*>> let_calls_;  // let -> defs it calls
  std::map<const ast::Def*, std::set<int>> def_reads_;              // def -> lets it reads
};

}  // namespace

}  // namespace reddalert::check

#include "eval/network.hpp"

namespace reddalert::check {

namespace {
bool Checker::eval_cidr_ok(const std::string& s) { return eval::parse_ip_range(s).has_value(); }
}  // namespace

CheckResult check(const Workspace& workspace, const ParamOverrides& overrides) {
  CheckResult result;
  result.program.overrides = overrides;
  Checker checker(workspace, result);
  checker.overrides_ = overrides;
  checker.run();
  return result;
}

}  // namespace reddalert::check
