// Scopes, declarations, policies and recursion checks over a loaded Workspace.
#include <algorithm>
#include <functional>
#include <set>

#include <re2/re2.h>

#include "base/ip.hpp"
#include "base/text.hpp"
#include "base/url.hpp"
#include "check/checker.hpp"
#include "check/metadata.hpp"
#include "check/uses.hpp"
#include "model/collections.hpp"
#include "model/field_path.hpp"

namespace reddalert::check::detail {

void Checker::run() {
  out_.program.workspace = &ws_;
  const std::size_t n = ws_.node_count;
  out_.program.refs.assign(n, Ref{});
  out_.program.slots.assign(n, -1);
  out_.program.frame_sizes.assign(n, 0);
  out_.program.captures.assign(n, {});
  out_.program.previous_collections.assign(n, {});
  out_.program.types.assign(n, Type{});
  out_.program.binders.assign(n, {});
  collect_globals();
  check_policy_names();
  for (std::size_t m = 0; m < ws_.modules.size(); ++m) {
    module_ = m;
    const ast::Module& mod = ws_.modules[m].module;
    for (const auto& c : mod.consts) check_const(c);
    for (const auto& d : mod.defs) {
      if (!def_types_.contains(&d)) check_def(d);  // else checked already, for a call's result
    }
    for (const auto& l : mod.lets) check_let(l);
    for (const auto& p : mod.policies) check_policy(p);
  }
  // An error can hide a use (a misspelt name, a clash, a file that did not parse): what is
  // unused is judged once everything checks.
  if (!diags_.has_errors() && !ws_.diagnostics.has_errors()) {
    warn_unused_params();
    warn_unused_imports();
    warn_unused_globals();
  }
  // Both walk the globals' dependencies recursively, as the compiler does.
  if (check_global_depth()) {
    check_recursion();
    check_first_seen();
  }
}

bool Checker::check_global_depth() {
  // Globals as nodes: consts, then defs, then lets, each with the globals its body names.
  const std::size_t consts = out_.program.consts.size(), defs = out_.program.defs.size();
  const std::size_t n = consts + defs + out_.program.lets.size();
  const auto node_of = [&](const Ref& r) -> std::optional<std::size_t> {
    const auto i = static_cast<std::size_t>(r.index);
    if (r.kind == Ref::Kind::Const && i < consts) return i;
    if (r.kind == Ref::Kind::Def && i < defs) return consts + i;
    if (r.kind == Ref::Kind::Let && i < out_.program.lets.size()) return consts + defs + i;
    return std::nullopt;
  };
  const auto body = [&](std::size_t g) -> std::pair<const ast::Expr*, Location> {
    if (g < consts) return {out_.program.consts[g]->value.get(), out_.program.consts[g]->location};
    if (g < consts + defs) return {out_.program.defs[g - consts]->body.get(), out_.program.defs[g - consts]->location};
    const ast::Let* l = out_.program.lets[g - consts - defs];
    return {l->value.get(), l->location};
  };
  std::vector<std::vector<std::size_t>> edges(n);
  for (std::size_t g = 0; g < n; ++g) {
    std::vector<const ast::Expr*> stack{body(g).first};
    while (!stack.empty()) {
      const ast::Expr* e = stack.back();
      stack.pop_back();
      if (e == nullptr) continue;
      if (e->as<ast::Name>() || e->as<ast::Call>()) {
        if (const auto to = node_of(out_.program.ref(*e))) edges[g].push_back(*to);
      }
      ast::for_each_child(*e, [&](const ast::Expr& c) { stack.push_back(&c); });
    }
  }
  // The longest chain below each global, by an explicit depth-first search; a cycle (E0108,
  // reported by check_recursion) does not lengthen it.
  std::vector<std::size_t> depth(n, 0);
  std::vector<char> state(n, 0);  // 0 new, 1 on the stack, 2 done
  for (std::size_t root = 0; root < n; ++root) {
    if (state[root] != 0) continue;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{root, 0}};  // node, next edge
    state[root] = 1;
    while (!stack.empty()) {
      auto& [g, next] = stack.back();
      if (next < edges[g].size()) {
        const std::size_t to = edges[g][next++];
        if (state[to] == 0) {
          state[to] = 1;
          stack.push_back({to, 0});
        }
        continue;
      }
      for (const std::size_t to : edges[g]) depth[g] = std::max(depth[g], state[to] == 2 ? depth[to] + 1 : 0);
      state[g] = 2;
      if (depth[g] > kMaxGlobalDepth) {
        diags_.error("E0123", body(g).second,
                     "this declaration depends on a chain of more than " + std::to_string(kMaxGlobalDepth) +
                         " constants, lets and defs, each using the next",
                     "flatten the chain: compute the values in a comprehension, or in fewer steps");
        return false;
      }
      stack.pop_back();
    }
  }
  return true;
}

void Checker::collect_globals() {
  scopes_.resize(ws_.modules.size());
  for (std::size_t m = 0; m < ws_.modules.size(); ++m) {
    const ast::Module& mod = ws_.modules[m].module;
    for (const auto& c : mod.consts) {
      declare(m, c.name,
              {.kind = Global::Kind::Const,
               .index = static_cast<int>(out_.program.consts.size()),
               .location = c.location,
               .value = c.value.get(),
               .def = nullptr,
               .module = m});
      out_.program.consts.push_back(&c);
    }
    for (const auto& d : mod.defs) {
      declare(m, d.name,
              {.kind = Global::Kind::Def,
               .index = static_cast<int>(out_.program.defs.size()),
               .location = d.location,
               .value = d.body.get(),
               .def = &d,
               .module = m});
      out_.program.defs.push_back(&d);
    }
    for (const auto& l : mod.lets) {
      declare(m, l.name,
              {.kind = Global::Kind::Let,
               .index = static_cast<int>(out_.program.lets.size()),
               .location = l.location,
               .value = l.value.get(),
               .def = nullptr,
               .module = m});
      out_.program.lets.push_back(&l);
    }
    for (const auto& p : mod.policies) out_.program.policies.push_back(&p);
  }
  for (std::size_t m = 0; m < ws_.modules.size(); ++m) check_import_clashes(m);
}

void Checker::check_import_clashes(std::size_t m) {
  const auto file_of = [&](std::size_t module) { return ws_.modules[module].module.source->path(); };
  std::map<std::string, std::size_t> imported;  // name -> the module of the first import bringing it
  for (const ResolvedImport& imp : ws_.modules[m].imports) {
    for (const auto& [name, g] : scopes_[imp.module]) {
      std::string message;
      base::Location first;
      if (const auto it = scopes_[m].find(name); it != scopes_[m].end()) {
        message = "`" + name + "` is defined twice: in this file and in " + file_of(imp.module) + ", which it imports";
        first = it->second.location;
      } else if (const auto [prev, fresh] = imported.emplace(name, imp.module); !fresh && prev->second != imp.module) {
        message = "`" + name + "` is defined twice: in " + file_of(prev->second) + " and in " + file_of(imp.module) +
                  ", which this file both imports";
        first = scopes_[prev->second].at(name).location;
      } else {
        continue;
      }
      base::Diagnostic d{.severity = base::Severity::Error,
                         .code = "E0105",
                         .location = imp.location,
                         .message = message,
                         .hint = "rename one of them; an import brings every const, def and let of its file",
                         .notes = {}};
      d.notes.push_back({first, "defined here"});
      d.notes.push_back({g.location, "and here"});
      diags_.add(std::move(d));
    }
  }
}

void Checker::declare(std::size_t m, const std::string& name, Global g) {
  if (const auto it = scopes_[m].find(name); it != scopes_[m].end()) {
    duplicate(name, g.location, it->second.location);
    return;
  }
  scopes_[m].emplace(name, g);
}

void Checker::duplicate(const std::string& name, const Location& here, const Location& first) {
  base::Diagnostic d{base::Severity::Error, "E0105", here, "`" + name + "` is defined twice", "rename one of them", {}};
  d.notes.push_back({first, "first defined here"});
  diags_.add(std::move(d));
}

void Checker::check_policy_names() {
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

void Checker::begin_frame(ast::NodeId owner) {
  frame_owner_ = owner;
  next_slot_ = 0;
  locals_.clear();
  locals_.emplace_back();
}

void Checker::end_frame() {
  for (const auto& scope : locals_) warn_unused(scope);
  out_.program.frame_sizes[frame_owner_] = std::max(next_slot_, 1);
  locals_.clear();
}

void Checker::pop_scope() {
  warn_unused(locals_.back());
  locals_.pop_back();
}

void Checker::warn_unused(const std::vector<Local>& scope) {
  for (const Local& l : scope) {
    if (l.warn_unused && !l.used && l.name[0] != '_') {
      diags_.warning("W0201", l.location, "`" + l.name + "` is never used", "remove it, or name it `_" + l.name + "`");
    }
  }
}

int Checker::bind(ast::NodeId binder, const std::string& name, const Location& loc, Type type, bool warn_unused) {
  for (const Local& l : locals_.back()) {
    if (l.name == name) duplicate(name, loc, l.location);
  }
  const int slot = next_slot_++;
  locals_.back().push_back({name, slot, loc, std::move(type), false, warn_unused});
  if (binder != kNoBinder) out_.program.slots[binder] = slot;
  return slot;
}

void Checker::check_const(const ast::Const& c) {
  begin_frame(c.id);
  in_const_ = true;
  infer(*c.value);
  in_const_ = false;
  end_frame();
}

void Checker::check_def(const ast::Def& d) {
  def_types_[&d] = std::nullopt;  // a call of it from its own body learns nothing (E0108)
  if (const lang::BuiltinSignature* b = find_builtin(d.name)) {
    diags_.warning("W0209", d.location,
                   "def `" + d.name + "` shadows the builtin `" + b->usage + "`: every call of `" + d.name +
                       "` in the files that see this def calls the def",
                   "rename the def, so that `" + d.name + "` keeps meaning the builtin everywhere");
  }
  begin_frame(d.id);
  current_def_ = &d;
  // Params take the frame's first slots, in order: the call writes its arguments there.
  for (std::size_t i = 0; i < d.params.size(); ++i) bind(kNoBinder, d.params[i], d.param_locations[i], Type{}, true);
  def_types_[&d] = infer(*d.body);
  current_def_ = nullptr;
  end_frame();
}

Type Checker::def_result(const Global& g) {
  if (const auto it = def_types_.find(g.def); it != def_types_.end()) return it->second.value_or(Type{});
  // Check the def now, in its own file and frame, then resume where this call is.
  const std::size_t module = std::exchange(module_, g.module);
  auto locals = std::exchange(locals_, {});
  const ast::NodeId owner = frame_owner_;
  auto lambdas = std::exchange(lambdas_, {});
  const int next_slot = next_slot_;
  const ast::Policy* policy = std::exchange(policy_, nullptr);
  const ast::Def* def = std::exchange(current_def_, nullptr);
  const ast::Let* let = std::exchange(current_let_, nullptr);
  const bool in_const = std::exchange(in_const_, false);
  const Type elem = std::exchange(elem_type_, Type{});
  check_def(*g.def);
  module_ = module;
  locals_ = std::move(locals);
  frame_owner_ = owner;
  lambdas_ = std::move(lambdas);
  next_slot_ = next_slot;
  policy_ = policy;
  current_def_ = def;
  current_let_ = let;
  in_const_ = in_const;
  elem_type_ = elem;
  return def_types_[g.def].value_or(Type{});
}

void Checker::check_let(const ast::Let& l) {
  begin_frame(l.id);
  current_let_ = &l;
  infer(*l.value);
  current_let_ = nullptr;
  end_frame();
}

void Checker::check_policy(const ast::Policy& p) {
  policy_ = &p;
  begin_frame(p.id);
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
        bind(c.id, c.name, c.name_location, t.element_type(), true);
        break;
      case ast::ClauseKind::Let: bind(c.id, c.name, c.name_location, t, true); break;
      case ast::ClauseKind::Where:
        if (t.known() && t.kind != TK::Bool) {
          mismatch(c.expr->location, std::string("`where` needs a boolean condition, found a ") + describe(t.kind),
                   "compare it, e.g. `where x != null`");
        }
        if (constant_expression(*c.expr)) out_.program.constant_conditions.insert(c.id);
        break;
    }
  }
  if (p.alert) infer(*p.alert);
  if (p.message) infer(*p.message);
  if (p.details) infer(*p.details);
  if (p.key) infer(*p.key);
  end_frame();
  policy_ = nullptr;
}

bool Checker::constant_expression(const ast::Expr& e) const {
  if (e.as<ast::CollectionRef>() || e.as<ast::Elem>()) return false;
  if (e.as<ast::Name>()) return out_.program.ref(e).kind == Ref::Kind::Const;
  if (e.as<ast::Call>()) {
    // A def may read a top-level let, and the builtins that are not pure read the run.
    const Ref& r = out_.program.ref(e);
    if (r.kind != Ref::Kind::Builtin) return false;
    const lang::BuiltinSignature* b = find_builtin(r.name);
    if (b == nullptr || !b->pure()) return false;
  }
  bool constant = true;
  ast::for_each_child(e, [&](const ast::Expr& c) { constant = constant && constant_expression(c); });
  return constant;
}

void Checker::check_meta(const ast::Policy& p) {
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
    if (m.key == "controls") {
      check_controls(v);
      continue;
    }
    if (m.key == "requires") {
      check_requires(v);
      continue;
    }
    in_const_ = true;
    const Type t = infer(v);
    in_const_ = false;
    // Kinds that are certain now are reported now; the rest once the value is computed
    // (compile/, same code).
    const bool list = m.key == "tags" || m.key == "references";
    const TK want = m.key == "version" ? TK::Number : list ? TK::List : TK::String;
    if (t.known() && t.kind != want) {
      diags_.error("E0302", v.location,
                   "`" + m.key + "` must be " +
                       (m.key == "version" ? "a positive integer"
                        : list             ? "a list of strings"
                                           : "a string"));
    }
    // URLs written as literals are checked now; computed ones once computed (compile/).
    if (m.key == "help_url") {
      if (const auto url = plain_string(v)) check_url(m.key, *url, v.location);
    } else if (const auto* items = v.as<ast::ListLit>(); items && m.key == "references") {
      for (const ast::ExprPtr& item : items->items) {
        if (const auto url = plain_string(*item)) check_url(m.key, *url, item->location);
      }
    }
    if (m.key == "description") has_description = true;
  }
  if (!has_description) {
    diags_.warning("W0203", p.location, "policy `" + p.name + "` has no `description`",
                   "say what it catches and why it matters; `reddalert doc` and alert readers show it");
  }
}

void Checker::check_url(const std::string& key, const std::string& url, const Location& at) {
  const std::string problem = metadata_url_problem(url);
  if (problem.empty()) return;
  diags_.error("E0303", at,
               (key == "help_url" ? std::string("`help_url`") : "each of `" + key + "`") + " must be " +
                   base::url_kind(base::kHttpSchemes) + ": " + problem,
               kUrlHint);
}

namespace {

// Whether the text at `at` is an empty string literal ("" or '').
bool written_empty(const Location& at) {
  if (!at.known() || at.column == 0) return false;
  const std::string_view text = at.file->line(at.line);
  const std::string_view line = text.substr(std::min(text.size(), at.offset() - at.file->line_start(at.line)));
  return line.size() >= 2 && (line[0] == '"' || line[0] == '\'') && line[1] == line[0];
}

}  // namespace

void Checker::check_controls(const ast::Expr& v) {
  static const char* const kHint =
      "write a map of lists of strings, e.g. `controls {\"cis-aws-3.0\": [\"5.2\"], prowler: [\"...\"]}`; it is "
      "read as written, before anything is computed, so `check --control` can select by it";
  const auto* map = v.as<ast::MapLit>();
  if (!map) {
    diags_.error("E0304", v.location, "`controls` must be a map literal from a framework id to a list of control ids",
                 kHint);
    return;
  }
  in_const_ = true;
  infer(v);  // names, and a framework given twice (E0105)
  in_const_ = false;
  for (const ast::MapEntry& entry : map->entries) {
    if (entry.key.empty() && written_empty(entry.key_location))  // else not a plain string: E0004
      diags_.error("E0305", entry.key_location, "a framework id in `controls` is empty");
    const auto* list = entry.value->as<ast::ListLit>();
    if (!list) {
      diags_.error("E0304", entry.value->location,
                   "the controls of framework `" + entry.key + "` must be a list literal of strings", kHint);
      continue;
    }
    if (list->items.empty()) {
      diags_.error("E0305", entry.value->location, "framework `" + entry.key + "` lists no control ids",
                   "name the controls the policy checks, or leave the framework out");
    }
    for (const ast::ExprPtr& item : list->items) {
      const std::optional<std::string> id = plain_string(*item);
      if (!id) {
        diags_.error("E0304", item->location,
                     "a control id of framework `" + entry.key + "` must be a plain string literal", kHint);
      } else if (id->empty()) {
        diags_.error("E0305", item->location, "a control id of framework `" + entry.key + "` is empty");
      }
    }
  }
}

void Checker::check_requires(const ast::Expr& v) {
  static const char* const kHint =
      "write a list of field paths, e.g. `requires [\"view.instances.metadataOptions\"]`; it is read as written, "
      "and a policy whose fields no document has is not evaluated";
  const auto* list = v.as<ast::ListLit>();
  if (!list) {
    diags_.error("E0304", v.location, "`requires` must be a list literal of field paths", kHint);
    return;
  }
  for (const ast::ExprPtr& item : list->items) {
    const std::optional<std::string> path = plain_string(*item);
    if (!path) {
      diags_.error("E0304", item->location, "a field path of `requires` must be a plain string literal", kHint);
      continue;
    }
    std::string error;
    const std::optional<model::FieldPath> f = model::resolve_field_path(*path, error);
    if (!f) {
      diags_.error("E0306", item->location, "`requires` names no known field: " + error,
                   "`reddalert schema COLLECTION` lists the fields the table knows; a field EDDA may lack is "
                   "in it, marked as one EDDA may omit");
    }
  }
}

void Checker::check_override(const ast::Policy& p, const ast::Param& prm, const Type& t) {
  const auto pit = overrides_.find(p.name);
  if (pit == overrides_.end()) return;
  const auto it = pit->second.find(prm.name);
  if (it == pit->second.end()) return;
  const nlohmann::json& v = it->second.value;
  const TK have = v.is_number()    ? TK::Number
                  : v.is_string()  ? TK::String
                  : v.is_boolean() ? TK::Bool
                  : v.is_array()   ? TK::List
                  : v.is_object()  ? TK::Map
                  : v.is_null()    ? TK::Null
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

void Checker::check_recursion() {
  // Defs calling themselves, directly or through others.
  std::set<const ast::Def*> reported;
  for (const auto& [def, callees] : def_edges_) {
    std::vector<const ast::Def*> path{def};
    std::set<const ast::Def*> visited;
    std::function<bool(const ast::Def*)> reaches = [&, def = def](const ast::Def* d) -> bool {
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

std::set<int> Checker::let_dependencies(const ast::Let* let) const {
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

void Checker::check_first_seen() {
  // first_seen() remembers values per policy: a top-level let belongs to none.
  for (const auto& [let, where] : let_first_seen_) {
    diags_.error("E0120", where, "first_seen() in top-level `let` `" + let->name + "`, which belongs to no policy",
                 "first_seen() remembers values per policy: call it in a policy's clauses");
  }
  for (const ast::Let* let : out_.program.lets) {
    const auto calls = let_calls_.find(let);
    if (calls == let_calls_.end()) continue;
    std::set<const ast::Def*> seen;
    std::vector<const ast::Def*> todo(calls->second.begin(), calls->second.end());
    while (!todo.empty()) {
      const ast::Def* d = todo.back();
      todo.pop_back();
      if (!seen.insert(d).second) continue;
      if (const auto fs = def_first_seen_.find(d); fs != def_first_seen_.end()) {
        base::Diagnostic diag{base::Severity::Error,
                              "E0120",
                              fs->second,
                              "first_seen() in `" + d->name + "`, which top-level `let` `" + let->name + "` calls",
                              "first_seen() remembers values per policy: call it in a policy's clauses",
                              {}};
        diag.notes.push_back({let->location, "the let is declared here"});
        diags_.add(std::move(diag));
        break;
      }
      if (const auto it = def_edges_.find(d); it != def_edges_.end())
        todo.insert(todo.end(), it->second.begin(), it->second.end());
    }
  }
}

int Checker::index_of_let(const ast::Let* l) const {
  for (std::size_t i = 0; i < out_.program.lets.size(); ++i) {
    if (out_.program.lets[i] == l) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace reddalert::check::detail

namespace reddalert::check {

namespace {

// A finding's identity is its message unless the policy declares `key`: a message that
// changes with the clock (an age in days) makes every alert new again each day.
void warn_clock_messages(CheckResult& result) {
  if (result.diagnostics.has_errors()) return;  // the side tables may be incomplete
  for (const ast::Policy* p : result.program.policies) {
    if (p->key || !p->message || !uses_of(result.program, *p, *p->message).clock) continue;
    result.diagnostics.warning("W0204", p->message_location,
                               "the message of policy `" + p->name +
                                   "` changes with the clock (`now`, age()), so each of its alerts is reported "
                                   "again whenever the text changes",
                               "add `key EXPR` with what identifies a finding (e.g. `key k.accessKeyId`), or take "
                               "the changing value out of the message (into `details`)");
  }
}

}  // namespace

CheckResult check(const Workspace& workspace, const ParamOverrides& overrides) {
  CheckResult result;
  result.program.overrides = overrides;
  detail::Checker checker(workspace, result);
  checker.overrides_ = overrides;
  checker.run();
  warn_clock_messages(result);
  return result;
}

}  // namespace reddalert::check
