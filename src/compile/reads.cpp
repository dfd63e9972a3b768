#include "compile/reads.hpp"

#include <algorithm>
#include <map>
#include <memory>

#include "lang/builtins.hpp"
#include "model/projection.hpp"

namespace reddalert::compile {

namespace {

using check::Ref;
using lang::BuiltinId;
using model::Projection;

struct Fn;

// What a value may hold of document data: the document nodes it may be, and for a
// computed list or map what its elements (values) may hold; for a function value, the
// lambdas it may be.
struct Abs {
  std::vector<Projection*> docs;
  std::shared_ptr<Abs> items;
  std::vector<std::shared_ptr<const Fn>> fns;
};

using Env = std::vector<Abs>;  // by frame slot

// A lambda and what the slots of its frame held when it was made.
struct Fn {
  const ast::Expr* expr;
  Env env;
};

// The analysis gives up (and every collection is read whole) past this many steps: a
// program of nested defs may inline exponentially.
struct GiveUp {};
constexpr std::size_t kMaxSteps = 2'000'000;

void join_into(Abs& into, const Abs& from) {
  for (Projection* d : from.docs) {
    if (std::find(into.docs.begin(), into.docs.end(), d) == into.docs.end()) into.docs.push_back(d);
  }
  if (from.items) {
    if (!into.items) into.items = std::make_shared<Abs>();
    join_into(*into.items, *from.items);
  }
  for (const auto& f : from.fns) {
    if (std::find(into.fns.begin(), into.fns.end(), f) == into.fns.end()) into.fns.push_back(f);
  }
}

Abs join(const Abs& a, const Abs& b) {
  Abs out = a;
  join_into(out, b);
  return out;
}

Abs list_of(Abs items) {
  Abs out;
  out.items = std::make_shared<Abs>(std::move(items));
  return out;
}

// Used as a value: whatever document data it holds is kept whole.
void use(const Abs& a) {
  for (Projection* d : a.docs) d->set_whole();
  if (a.items) use(*a.items);
}

Projection* child(Projection* n, std::string_view name) { return n->whole() ? n : n->field(name); }
Projection* array_items(Projection* n) { return n->whole() ? n : n->items(); }
// Iterated as a `for` iterates: an array's elements, or a map's values (all of them).
Projection* iterated(Projection* n) {
  if (n->whole()) return n;
  n->set_iterated();
  return n->items();
}

Abs field(const Abs& a, std::string_view name) {
  Abs out;
  for (Projection* d : a.docs) out.docs.push_back(child(d, name));
  if (a.items) join_into(out, *a.items);  // a computed map's values
  return out;
}

// What iterating `a` binds: a list's elements or a map's values.
Abs elements(const Abs& a) {
  Abs out;
  for (Projection* d : a.docs) out.docs.push_back(iterated(d));
  if (a.items) join_into(out, *a.items);
  return out;
}

// The elements of `a` when it is a list (a projection `[*]`, list `+`, flatten).
Abs list_elements(const Abs& a) {
  Abs out;
  for (Projection* d : a.docs) out.docs.push_back(array_items(d));
  if (a.items) join_into(out, *a.items);
  return out;
}

std::optional<std::string> constant_string(const ast::Expr& e) {
  if (const auto* r = e.as<ast::RawString>()) return r->value;
  if (const auto* t = e.as<ast::TemplateString>();
      t && t->parts.size() == 1 && std::holds_alternative<std::string>(t->parts[0])) {
    return std::get<std::string>(t->parts[0]);
  }
  return std::nullopt;
}

bool constant_number(const ast::Expr& e) {
  if (e.as<ast::NumberLit>()) return true;
  const auto* n = e.as<ast::Negate>();
  return n && n->operand->as<ast::NumberLit>();
}

class Reads {
 public:
  explicit Reads(const check::CheckedProgram& checked) : checked_(checked) {}

  std::map<std::string, std::unique_ptr<Projection>> roots;  // per collection read

  void policy(const ast::Policy& p) {
    Env env(static_cast<std::size_t>(checked_.frame_size(p.id)));
    for (const auto& c : p.clauses) {
      const Abs v = expr(*c.expr, env);
      switch (c.kind) {
        case ast::ClauseKind::For: env[slot(c.id)] = elements(v); break;
        case ast::ClauseKind::Let: env[slot(c.id)] = v; break;
        case ast::ClauseKind::Where: break;
      }
    }
    // The outputs are text and JSON: all of them is read.
    use(expr(*p.alert, env));
    use(expr(*p.message, env));
    if (p.details) use(expr(*p.details, env));
    if (p.key) use(expr(*p.key, env));
  }

 private:
  std::size_t slot(ast::NodeId binder) const { return static_cast<std::size_t>(checked_.slot(binder)); }

  Abs expr(const ast::Expr& e, Env& env) {
    if (++steps_ > kMaxSteps) throw GiveUp{};
    return std::visit([&](const auto& n) { return node(e, n, env); }, e.node);
  }

  template <class Literal>
  Abs node(const ast::Expr&, const Literal&, Env&) {
    return {};  // null, booleans, numbers, durations, raw strings, regexes
  }
  Abs node(const ast::Expr&, const ast::TemplateString& s, Env& env) {
    for (const auto& p : s.parts) {
      if (const auto* x = std::get_if<ast::ExprPtr>(&p)) use(expr(**x, env));  // printed
    }
    return {};
  }
  Abs node(const ast::Expr&, const ast::ListLit& l, Env& env) {
    Abs items;
    for (const auto& i : l.items) join_into(items, expr(*i, env));
    return list_of(std::move(items));
  }
  Abs node(const ast::Expr&, const ast::MapLit& m, Env& env) {
    Abs values;
    for (const auto& entry : m.entries) join_into(values, expr(*entry.value, env));
    return list_of(std::move(values));
  }
  Abs node(const ast::Expr& e, const ast::Name&, Env& env) {
    const Ref& r = checked_.ref(e);
    if (r.kind == Ref::Kind::Local) return env[static_cast<std::size_t>(r.index)];
    if (r.kind == Ref::Kind::Let) return let(r.index);
    return {};  // constants, params, the window
  }
  Abs node(const ast::Expr&, const ast::CollectionRef& c, Env&) {
    auto& root = roots[c.full_name()];
    if (!root) root = std::make_unique<Projection>();
    Abs doc;
    doc.docs.push_back(root.get());
    return list_of(std::move(doc));
  }
  Abs node(const ast::Expr&, const ast::Field& f, Env& env) { return field(expr(*f.base, env), f.name); }
  Abs node(const ast::Expr&, const ast::Index& i, Env& env) {
    const Abs base = expr(*i.base, env);
    use(expr(*i.index, env));
    if (const auto key = constant_string(*i.index)) return field(base, *key);
    if (constant_number(*i.index)) return list_elements(base);
    return elements(base);  // any member or element
  }
  Abs node(const ast::Expr&, const ast::Elem&, Env& env) { return env[elem_slots_.back()]; }
  Abs node(const ast::Expr& e, const ast::Projection& p, Env& env) {
    const Abs base = expr(*p.base, env);
    const std::size_t s = slot(e.id);
    env[s] = list_elements(base);
    elem_slots_.push_back(s);
    const Abs per = expr(*p.per_element, env);
    elem_slots_.pop_back();
    // A nested projection's lists are flattened into this one.
    return list_of(per.items ? join(per, *per.items) : per);
  }
  Abs node(const ast::Expr& e, const ast::Call& c, Env& env) {
    std::vector<Abs> args;
    for (const auto& a : c.args) args.push_back(expr(*a, env));
    const Ref& r = checked_.ref(e);
    if (r.kind == Ref::Kind::Def) return call_def(r.index, args);
    const lang::BuiltinSignature* b = lang::find_builtin(c.name);
    if (b == nullptr) return {};
    return builtin(b->id, args);
  }
  Abs node(const ast::Expr&, const ast::Negate& n, Env& env) {
    expr(*n.operand, env);
    return {};
  }
  Abs node(const ast::Expr&, const ast::Not& n, Env& env) {
    expr(*n.operand, env);  // only whether it is `true`: a kept scalar says so
    return {};
  }
  Abs node(const ast::Expr&, const ast::Binary& b, Env& env) {
    using Op = ast::BinaryOp;
    const Abs l = expr(*b.lhs, env);
    const Abs r = expr(*b.rhs, env);
    switch (b.op) {
      case Op::Coalesce: return join(l, r);
      case Op::And:
      case Op::Or: return {};
      case Op::Eq:
      case Op::Ne:
        // Whether a member is null needs nothing more: the reader keeps each member it keeps.
        if (!b.rhs->as<ast::NullLit>()) use(l);
        if (!b.lhs->as<ast::NullLit>()) use(r);
        return {};
      case Op::Add: return list_of(join(list_elements(l), list_elements(r)));  // lists, or scalars
      case Op::Sub: {
        const Abs kept = list_elements(l);
        use(kept);
        use(list_elements(r));
        return list_of(kept);
      }
      default:  // comparisons, membership, containment, matching, ranges, arithmetic
        use(l);
        use(r);
        return {};
    }
  }
  Abs node(const ast::Expr&, const ast::Conditional& c, Env& env) {
    expr(*c.cond, env);
    const Abs a = expr(*c.then_expr, env);
    return join(a, expr(*c.else_expr, env));
  }
  Abs node(const ast::Expr& e, const ast::Quantifier& q, Env& env) {
    env[slot(e.id)] = elements(expr(*q.source, env));
    expr(*q.cond, env);
    return {};
  }
  Abs node(const ast::Expr& e, const ast::ListComp& c, Env& env) {
    env[slot(e.id)] = elements(expr(*c.source, env));
    if (c.filter) expr(*c.filter, env);
    return list_of(expr(*c.element, env));
  }
  Abs node(const ast::Expr& e, const ast::MapComp& c, Env& env) {
    env[slot(e.id)] = elements(expr(*c.source, env));
    if (c.filter) expr(*c.filter, env);
    use(expr(*c.key, env));  // keys are text
    return list_of(expr(*c.value, env));
  }
  Abs node(const ast::Expr& e, const ast::Lambda&, Env& env) {
    Abs f;
    f.fns.push_back(std::make_shared<const Fn>(Fn{&e, env}));
    return f;
  }

  // A function value called on `arg`: what its body returns.
  Abs call(const Abs& fn, const Abs& arg) {
    if (fn.fns.empty()) {  // not known here: it may read all of its argument
      use(arg);
      return {};
    }
    Abs out;
    for (const auto& f : fn.fns) {
      const auto& lambda = std::get<ast::Lambda>(f->expr->node);
      Env env = f->env;
      env[slot(f->expr->id)] = arg;
      join_into(out, expr(*lambda.body, env));
    }
    return out;
  }

  Abs call_def(int index, const std::vector<Abs>& args) {
    const ast::Def& d = *checked_.defs[static_cast<std::size_t>(index)];
    Env env(static_cast<std::size_t>(checked_.frame_size(d.id)));
    for (std::size_t i = 0; i < args.size() && i < env.size(); ++i) env[i] = args[i];
    std::vector<std::size_t> saved;
    saved.swap(elem_slots_);
    Abs out = expr(*d.body, env);
    elem_slots_.swap(saved);
    return out;
  }

  Abs let(int index) {
    if (const auto it = lets_.find(index); it != lets_.end()) return it->second;
    const ast::Let& l = *checked_.lets[static_cast<std::size_t>(index)];
    Env env(static_cast<std::size_t>(checked_.frame_size(l.id)));
    std::vector<std::size_t> saved;
    saved.swap(elem_slots_);
    Abs out = expr(*l.value, env);
    elem_slots_.swap(saved);
    return lets_[index] = out;
  }

  // The tag lists of resources: `tags` of each document, or the document when it is a
  // list; what is read of each tag is its key and value.
  Abs tag_values(const Abs& resources) {
    Abs values;
    const auto read_tags = [&](Projection* tag) {
      for (const char* k : {"key", "Key"}) child(tag, k);
      for (const char* v : {"value", "Value"}) values.docs.push_back(child(tag, v));
    };
    for (Projection* d : resources.docs) {
      read_tags(array_items(d));
      read_tags(iterated(child(d, "tags")));
    }
    if (resources.items) {  // a computed list of tags, or resources
      Abs inner = *resources.items;
      use(inner);
    }
    return values;
  }

  Abs builtin(BuiltinId id, const std::vector<Abs>& a) {
    const Abs none;
    const Abs& x = a.empty() ? none : a[0];
    switch (id) {
      case BuiltinId::Len: {
        // An array's length is kept with its elements; an object's only whole.
        for (Projection* d : x.docs) iterated(d);
        if (x.items) use(*x.items);
        return {};
      }
      case BuiltinId::Slice:
      case BuiltinId::Previous:  // the same resource at `since`: the same parts
        for (std::size_t i = 1; i < a.size(); ++i) use(a[i]);
        return x;
      case BuiltinId::First:
      case BuiltinId::Last: return elements(x);
      case BuiltinId::Min:
      case BuiltinId::Max: {
        Abs e = elements(x);
        use(e);
        return e;
      }
      case BuiltinId::Sort:
      case BuiltinId::Unique: {
        Abs e = elements(x);
        use(e);
        return list_of(std::move(e));
      }
      case BuiltinId::Sum: use(elements(x)); return {};
      case BuiltinId::Flatten: {
        const Abs e = elements(x);
        return list_of(join(e, list_elements(e)));
      }
      case BuiltinId::Values: return list_of(elements(x));
      case BuiltinId::Keys:
        for (Projection* d : x.docs) iterated(d);
        return {};
      case BuiltinId::Filter: {
        const Abs e = elements(x);
        call(a[1], e);  // only whether it is `true`
        return list_of(e);
      }
      case BuiltinId::SortBy: {
        const Abs e = elements(x);
        use(call(a[1], e));  // keys are compared
        return list_of(e);
      }
      case BuiltinId::Map: return list_of(call(a[1], elements(x)));
      case BuiltinId::GroupBy: {
        const Abs e = elements(x);
        use(call(a[1], e));  // keys are text
        return list_of(list_of(e));
      }
      case BuiltinId::Join:
        use(elements(x));
        for (std::size_t i = 1; i < a.size(); ++i) use(a[i]);
        return {};
      case BuiltinId::Tag: use(a[1]); return tag_values(x);
      case BuiltinId::Tags: return list_of(tag_values(x));
      default:  // strings, numbers, networks, time, contains, first_seen: all of each argument
        for (const Abs& arg : a) use(arg);
        return {};
    }
  }

  const check::CheckedProgram& checked_;
  std::map<int, Abs> lets_;
  std::vector<std::size_t> elem_slots_;  // slots of the projections `[*]` being analysed
  std::size_t steps_ = 0;
};

}  // namespace

void project(const check::CheckedProgram& checked, const std::set<std::string>* only, eval::Program& program) {
  Reads reads(checked);
  try {
    for (const ast::Policy* p : checked.policies) {
      if (only == nullptr || only->count(p->name)) reads.policy(*p);
    }
  } catch (const GiveUp&) {
    return;  // every collection whole
  }
  for (eval::CollectionUse& c : program.collections) {
    auto it = reads.roots.find(c.name);
    if (it != reads.roots.end() && !it->second->whole()) c.projection = std::move(it->second);
  }
}

}  // namespace reddalert::compile
