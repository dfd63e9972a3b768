// Expressions: name resolution, types, collection schemas and calls.
#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>

#include <re2/re2.h>

#include "base/ip.hpp"
#include "base/text.hpp"
#include "check/checker.hpp"
#include "model/collections.hpp"

namespace reddalert::check::detail {

void Checker::mismatch(const Location& loc, std::string message, std::string hint) {
  diags_.error("E0201", loc, std::move(message), std::move(hint));
}

std::vector<std::string> Checker::visible_names() const {
  std::vector<std::string> out;
  for (const auto& scope : locals_) {
    for (const Local& l : scope) out.push_back(l.name);
  }
  if (policy_) {
    for (const auto& p : policy_->params) out.push_back(p.name);
  }
  for (const auto& [n, g] : scopes_[module_]) out.push_back(n);
  for (const ResolvedImport& imp : ws_.modules[module_].imports) {
    for (const auto& [n, g] : scopes_[imp.module]) out.push_back(n);
  }
  out.emplace_back("now");
  out.emplace_back("since");
  return out;
}

const Global* Checker::find_global(const std::string& name) const {
  if (const auto it = scopes_[module_].find(name); it != scopes_[module_].end()) return &it->second;
  for (const ResolvedImport& imp : ws_.modules[module_].imports) {
    if (const auto it = scopes_[imp.module].find(name); it != scopes_[imp.module].end()) return &it->second;
  }
  return nullptr;
}

namespace {

// The import statement that would bring a declaration of `to` into `from`.
std::string import_path(const std::string& from, const std::string& to) {
  namespace fs = std::filesystem;
  const fs::path rel = fs::path(to).lexically_relative(fs::path(from).parent_path());
  return rel.empty() ? to : rel.generic_string();
}

}  // namespace

std::string Checker::declared_elsewhere(const std::string& name, bool functions) const {
  const std::string& here = ws_.modules[module_].module.source->path();
  for (std::size_t m = 0; m < ws_.modules.size(); ++m) {
    const auto it = scopes_[m].find(name);
    if (m == module_ || it == scopes_[m].end() || (it->second.kind == Global::Kind::Def) != functions) continue;
    const std::string& there = ws_.modules[m].module.source->path();
    return "`" + name + "` is defined in " + there + "; import it: `import \"" + import_path(here, there) + "\"`";
  }
  return {};
}

std::string Checker::function_hint(const std::string& name) const {
  if (std::string elsewhere = declared_elsewhere(name, true); !elsewhere.empty()) return elsewhere;
  // The builtins, the names other languages give them, and the defs this file sees.
  std::vector<std::string> names = lang::builtin_names();
  for (const lang::BuiltinAlias& a : lang::builtin_aliases()) names.emplace_back(a.alias);
  std::map<std::string, std::size_t> defs;  // def name -> its file
  const auto add_defs = [&](std::size_t m) {
    for (const auto& [n, g] : scopes_[m]) {
      if (g.kind == Global::Kind::Def) defs.emplace(n, m);
    }
  };
  add_defs(module_);
  for (const ResolvedImport& imp : ws_.modules[module_].imports) add_defs(imp.module);
  for (const auto& [n, m] : defs) names.push_back(n);
  for (const lang::BuiltinAlias& a : lang::builtin_aliases()) {
    if (name == a.alias) return "did you mean `" + std::string(lang::builtin(a.builtin).name) + "`?";
  }
  std::string best = base::closest(name, names);
  for (const lang::BuiltinAlias& a : lang::builtin_aliases()) {
    if (best == a.alias) best = lang::builtin(a.builtin).name;
  }
  if (const auto it = defs.find(best); it != defs.end() && it->second != module_) {
    return "did you mean `" + best + "` (from " + ws_.modules[it->second].module.source->path() + ")?";
  }
  if (!best.empty()) return "did you mean `" + best + "`?";
  // A def of a file this one does not import.
  std::vector<std::string> others;
  for (std::size_t m = 0; m < ws_.modules.size(); ++m) {
    for (const auto& [n, g] : scopes_[m]) {
      if (g.kind == Global::Kind::Def && !defs.contains(n)) others.push_back(n);
    }
  }
  best = base::closest(name, others);
  if (best.empty()) return {};
  return "did you mean `" + best + "`? " + declared_elsewhere(best, true);
}

Type Checker::resolve_name(const ast::Expr& e, const std::string& name) {
  for (std::size_t s = locals_.size(); s-- > 0;) {
    auto& scope = locals_[s];
    for (auto l = scope.rbegin(); l != scope.rend(); ++l) {
      if (l->name == name) {
        l->used = true;
        out_.program.refs[e.id] = {Ref::Kind::Local, l->slot, name};
        out_.program.binders[e.id] = l->location;
        // Bound outside a lambda being checked: the lambda captures its value.
        for (const auto& [lambda, scope_index] : lambdas_) {
          if (s < scope_index) {
            auto& captures = out_.program.captures[lambda];
            if (std::find(captures.begin(), captures.end(), l->slot) == captures.end()) captures.push_back(l->slot);
          }
        }
        return l->type;
      }
    }
  }
  if (policy_) {
    for (std::size_t i = 0; i < policy_->params.size(); ++i) {
      if (policy_->params[i].name == name) {
        params_used_.insert(&policy_->params[i]);
        out_.program.refs[e.id] = {Ref::Kind::Param, static_cast<int>(i), name};
        return const_type(*policy_->params[i].value);
      }
    }
  }
  if (const Global* g = find_global(name)) {
    switch (g->kind) {
      case Global::Kind::Const:
        out_.program.refs[e.id] = {Ref::Kind::Const, g->index, name};
        return const_type(*g->value);
      case Global::Kind::Let:
        if (in_const_) {
          diags_.error("E0116", e.location, "`" + name + "` is a run-time value and cannot be used in a constant",
                       "constants, params and metadata are computed before any data is read");
        }
        out_.program.refs[e.id] = {Ref::Kind::Let, g->index, name};
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
    out_.program.refs[e.id] = {name == "now" ? Ref::Kind::Now : Ref::Kind::Since, -1, name};
    return Type::of(TK::Number);
  }
  // The import that failed said why: the names it would have brought are not errors too.
  if (ws_.modules[module_].import_failed) return Type{};
  std::string hint = declared_elsewhere(name, false);
  if (hint.empty()) hint = base::did_you_mean(name, visible_names());
  if (find_builtin(name)) hint = "`" + name + "` is a function; call it as `" + name + "(...)`";
  diags_.error("E0101", e.location, "unknown name `" + name + "`", hint);
  return Type{};
}

Type Checker::const_type(const ast::Expr& e) {
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

Type Checker::infer(const ast::Expr& e) {
  Type t = std::visit([&](const auto& n) { return infer_node(e, n); }, e.node);
  if (e.id < out_.program.types.size()) out_.program.types[e.id] = t;
  return t;
}

Type Checker::infer_node(const ast::Expr&, const ast::TemplateString& s) {
  for (const auto& part : s.parts) {
    if (const auto* x = std::get_if<ast::ExprPtr>(&part)) infer(**x);
  }
  return Type::of(TK::String);
}

Type Checker::infer_node(const ast::Expr& e, const ast::RegexLit& r) {
  const RE2 re(r.pattern, RE2::Quiet);
  if (!re.ok())
    diags_.error("E0111", e.location, "invalid regular expression: " + re.error(),
                 "the syntax is RE2's: https://github.com/google/re2/wiki/Syntax");
  return Type::of(TK::Regex);
}

Type Checker::infer_node(const ast::Expr&, const ast::ListLit& l) {
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

Type Checker::infer_node(const ast::Expr&, const ast::MapLit& m) {
  std::map<std::string, Location> seen;
  for (const auto& entry : m.entries) {
    if (const auto [it, fresh] = seen.emplace(entry.key, entry.key_location); !fresh) {
      duplicate(entry.key, entry.key_location, it->second);
    }
    infer(*entry.value);
  }
  return Type::of(TK::Map);
}

Type Checker::infer_node(const ast::Expr& e, const ast::CollectionRef& c) {
  const std::string full = c.full_name();
  if (in_const_)
    diags_.error("E0116", e.location, "collection `" + full + "` is read at run time and cannot be used in a constant",
                 "");
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

Type Checker::infer_node(const ast::Expr&, const ast::Field& f) {
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

Type Checker::infer_node(const ast::Expr&, const ast::Index& i) {
  const Type base = infer(*i.base);
  const Type idx = infer(*i.index);
  if (base.kind == TK::List) return base.element_type();
  if (base.kind == TK::Map && base.schema && i.index->as<ast::TemplateString>()) return Type{};
  (void)idx;
  return Type{};
}

Type Checker::infer_node(const ast::Expr& e, const ast::Projection& p) {
  const Type base = infer(*p.base);
  const Type saved = elem_type_;
  elem_type_ = base.element_type();
  push_scope();
  bind(e.id, "[*]", e.location, elem_type_);
  locals_.back().back().used = true;
  const Type per = infer(*p.per_element);
  pop_scope();
  elem_type_ = saved;
  return Type::list_of(per.kind == TK::List ? per.element_type() : per);
}

Type Checker::infer_node(const ast::Expr& e, const ast::Call& c) {
  std::vector<Type> args;
  for (const auto& a : c.args) args.push_back(infer(*a));
  const int n = static_cast<int>(c.args.size());
  if (const Global* g = find_global(c.name); g && g->kind == Global::Kind::Def) {
    out_.program.refs[e.id] = {Ref::Kind::Def, g->index, c.name};
    if (static_cast<std::size_t>(n) != g->def->params.size()) {
      diags_.error("E0109", c.name_location,
                   "`" + c.name + "` takes " + std::to_string(g->def->params.size()) + " argument(s), given " +
                       std::to_string(n),
                   "it is declared as `def " + c.name + "(" + base::join(g->def->params, ", ") + ")`");
    }
    if (current_def_) def_edges_[current_def_].insert(g->def);
    if (current_let_) let_calls_[current_let_].insert(g->def);
    return def_result(*g);
  }
  const lang::BuiltinSignature* b = find_builtin(c.name);
  if (!b) {
    unknown_function(c);
    return Type{};
  }
  out_.program.refs[e.id] = {Ref::Kind::Builtin, -1, c.name};
  if (n < b->min_args || (b->max_args >= 0 && n > b->max_args)) {
    const std::string expected = b->min_args == b->max_args
                                     ? std::to_string(b->min_args)
                                     : std::to_string(b->min_args) + " to " + std::to_string(b->max_args);
    diags_.error("E0109", c.name_location,
                 "`" + c.name + "` takes " + expected + " argument(s), given " + std::to_string(n),
                 std::string("usage: ") + b->usage);
  }
  if (in_const_ && !b->pure()) {
    diags_.error("E0116", c.name_location, "`" + c.name + "` depends on the run and cannot be used in a constant", "");
  }
  check_arguments(*b, c, args);
  if (b->id == lang::BuiltinId::FirstSeen) {
    if (current_let_ != nullptr) let_first_seen_.emplace_back(current_let_, c.name_location);
    if (current_def_ != nullptr) def_first_seen_.try_emplace(current_def_, c.name_location);
  }
  if (b->rule == lang::ResultRule::PreviousOf && !args.empty()) {
    if (args[0].kind == TK::Map && !args[0].collection.empty()) {
      out_.program.previous_collections[e.id] = args[0].collection;
    } else if (args[0].known()) {
      mismatch(c.args[0]->location, "previous() needs a resource document taken from a collection",
               "e.g. `previous(sg)` after `for sg in changed aws.securityGroups`");
    }
  }
  switch (b->rule) {
    case lang::ResultRule::SameAsFirst:
      if (!args.empty()) return args[0];
      break;
    case lang::ResultRule::ElementOfFirst:
      if (!args.empty()) return args[0].element_type();
      break;
    case lang::ResultRule::PreviousOf:
      if (!args.empty()) return args[0];
      break;
    case lang::ResultRule::Fixed: break;
  }
  return Type::of_kinds(b->result);
}

void Checker::unknown_function(const ast::Call& c) {
  // A value called like a function: a lambda in a `let`, most likely.
  const ast::Expr* global_value = nullptr;
  std::optional<Type> local;
  for (auto scope = locals_.rbegin(); scope != locals_.rend() && !local; ++scope) {
    for (Local& l : *scope) {
      if (l.name != c.name) continue;
      l.used = true;  // the call is its use: one diagnostic is enough
      local = l.type;
    }
  }
  const bool param = policy_ && std::any_of(policy_->params.begin(), policy_->params.end(),
                                            [&](const ast::Param& p) { return p.name == c.name; });
  if (const Global* g = find_global(c.name)) global_value = g->value;
  if (local || param || global_value) {
    const bool lambda = (local && local->kind == TK::Function) || (global_value && global_value->as<ast::Lambda>());
    diags_.error("E0125", c.name_location,
                 "`" + c.name + "` is " + (lambda ? "a lambda" : "a value") +
                     ", not a function: only defs and builtins can be called by name",
                 lambda ? "declare it as a function at the top level, `def " + c.name +
                              "(x) = ...`, or pass the lambda to a builtin, e.g. map(xs, " + c.name + ")"
                        : "");
    return;
  }
  if (ws_.modules[module_].import_failed) return;  // as for unknown names
  diags_.error("E0104", c.name_location, "unknown function `" + c.name + "`", function_hint(c.name));
}

void Checker::check_arguments(const lang::BuiltinSignature& b, const ast::Call& c, const std::vector<Type>& args) {
  const std::size_t n = std::min(args.size(), b.arguments.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!args[i].known() || (b.arguments[i] & kinds_of(args[i].kind)) != 0) continue;
    if (b.higher_order() && i == 1) {
      mismatch(c.args[i]->location, "`" + c.name + "` needs a function as its second argument, e.g. `x => x.name`");
      continue;
    }
    mismatch(c.args[i]->location,
             "argument " + std::to_string(i + 1) + " of `" + c.name + "` must be " + describe_kinds(b.arguments[i]) +
                 ", not a " + describe(args[i].kind),
             std::string("usage: ") + b.usage);
  }
}

Type Checker::infer_node(const ast::Expr& e, const ast::Negate& n) {
  const Type t = infer(*n.operand);
  if (t.known() && t.kind != TK::Number && t.kind != TK::Null)
    mismatch(e.location, std::string("cannot negate a ") + describe(t.kind));
  return Type::of(TK::Number);
}

Type Checker::infer_node(const ast::Expr&, const ast::Not& n) {
  infer(*n.operand);
  return Type::of(TK::Bool);
}

Type Checker::infer_node(const ast::Expr& e, const ast::Binary& b) {
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
      if (r.known() && (r.kind == TK::Number || r.kind == TK::Bool || r.kind == TK::Regex || r.kind == TK::Function)) {
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
      if (l.kind != TK::Null && r.known() && r.kind != TK::String && r.kind != TK::Range && r.kind != TK::List &&
          r.kind != TK::Null) {
        mismatch(b.rhs->location,
                 "`" + op + "` needs a CIDR string, a range or a list of them on the right, not a " + describe(r.kind));
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
                   b.op == Op::Add ? "`+` adds numbers and joins two strings or two lists; use \"{a}{b}\" to build text"
                                   : "");
        }
      }
      return Type::of(TK::Number);
  }
}

void Checker::check_cidr_constants(const ast::Expr& rhs) {
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

Type Checker::infer_node(const ast::Expr&, const ast::Conditional& c) {
  const Type cond = infer(*c.cond);
  if (cond.known() && cond.kind != TK::Bool && cond.kind != TK::Null) {
    mismatch(c.cond->location, std::string("`if` needs a boolean condition, found a ") + describe(cond.kind));
  }
  const Type a = infer(*c.then_expr);
  const Type b = infer(*c.else_expr);
  return a.kind == b.kind ? a : Type{};
}

Type Checker::iterate(const ast::Expr& source) {
  const Type t = infer(source);
  if (t.known() && t.kind != TK::List && t.kind != TK::Map && t.kind != TK::Null) {
    mismatch(source.location, std::string("cannot iterate over a ") + describe(t.kind) + "; expected a list or a map");
  }
  return t.element_type();
}

Type Checker::infer_node(const ast::Expr& e, const ast::Quantifier& q) {
  const Type elem = iterate(*q.source);
  push_scope();
  bind(e.id, q.var, q.var_location, elem, true);
  infer(*q.cond);
  pop_scope();
  return Type::of(q.kind == ast::QuantifierKind::Count ? TK::Number : TK::Bool);
}

Type Checker::infer_node(const ast::Expr& e, const ast::ListComp& c) {
  const Type elem = iterate(*c.source);
  push_scope();
  bind(e.id, c.var, c.var_location, elem, true);
  const Type t = infer(*c.element);
  if (c.filter) infer(*c.filter);
  pop_scope();
  return Type::list_of(t);
}

Type Checker::infer_node(const ast::Expr& e, const ast::MapComp& c) {
  const Type elem = iterate(*c.source);
  push_scope();
  bind(e.id, c.var, c.var_location, elem, true);
  infer(*c.key);
  infer(*c.value);
  if (c.filter) infer(*c.filter);
  pop_scope();
  return Type::of(TK::Map);
}

Type Checker::infer_node(const ast::Expr& e, const ast::Lambda& l) {
  lambdas_.emplace_back(e.id, locals_.size());
  push_scope();
  bind(e.id, l.param, l.param_location, Type{}, true);
  infer(*l.body);
  pop_scope();
  lambdas_.pop_back();
  return Type::of(TK::Function);
}

bool Checker::eval_cidr_ok(const std::string& s) { return base::parse_ip_range(s).has_value(); }

}  // namespace reddalert::check::detail
