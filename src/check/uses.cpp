#include "check/uses.hpp"

#include <map>
#include <vector>

#include "lang/builtins.hpp"

namespace reddalert::check {

namespace {

// Walks expressions with an explicit stack (input controls their depth), each global and
// each of the policy's lets once.
class Walker {
 public:
  Walker(const CheckedProgram& program, const ast::Policy& policy) : program_(program) {
    for (const ast::Clause& c : policy.clauses) {
      if (c.kind == ast::ClauseKind::Let) lets_by_slot_[program.slot(c.id)] = c.expr.get();
    }
  }

  void walk(const ast::Expr& root) {
    std::vector<const ast::Expr*> stack{&root};
    while (!stack.empty()) {
      const ast::Expr& e = *stack.back();
      stack.pop_back();
      visit(e, stack);
      ast::for_each_child(e, [&](const ast::Expr& child) { stack.push_back(&child); });
    }
  }

  Uses uses;

 private:
  void visit(const ast::Expr& e, std::vector<const ast::Expr*>& stack) {
    if (const auto* c = e.as<ast::CollectionRef>()) {
      uses.collections.insert(c->full_name());
      uses.changed = uses.changed || c->changed;
      return;
    }
    if (!e.as<ast::Name>() && !e.as<ast::Call>()) return;
    const Ref& r = program_.ref(e);
    const auto once = [&](std::set<int>& seen, const ast::Expr* body) {
      if (body != nullptr && seen.insert(r.index).second) stack.push_back(body);
    };
    const auto global = [&](const auto& list) { return static_cast<std::size_t>(r.index) < list.size(); };
    switch (r.kind) {
      case Ref::Kind::Now: uses.clock = true; break;
      case Ref::Kind::Since: uses.window = true; break;
      case Ref::Kind::Const:
        if (global(program_.consts)) once(consts_, program_.consts[r.index]->value.get());
        break;
      case Ref::Kind::Let:
        if (global(program_.lets)) once(lets_, program_.lets[r.index]->value.get());
        break;
      case Ref::Kind::Def:
        if (global(program_.defs)) once(defs_, program_.defs[r.index]->body.get());
        break;
      case Ref::Kind::Local: {
        const auto it = lets_by_slot_.find(r.index);
        if (it != lets_by_slot_.end()) once(locals_, it->second);
        break;
      }
      case Ref::Kind::Builtin: {
        const lang::BuiltinSignature* b = lang::find_builtin(r.name);
        if (b == nullptr) break;
        if (b->id == lang::BuiltinId::Age) uses.clock = true;
        if (b->id == lang::BuiltinId::Previous || b->id == lang::BuiltinId::FirstSeen) uses.window = true;
        break;
      }
      default: break;
    }
  }

  const CheckedProgram& program_;
  std::map<int, const ast::Expr*> lets_by_slot_;
  std::set<int> consts_, lets_, defs_, locals_;
};

}  // namespace

Uses uses_of(const CheckedProgram& program, const ast::Policy& policy) {
  Walker w(program, policy);
  for (const ast::Clause& c : policy.clauses) w.walk(*c.expr);
  for (const ast::Expr* e : {policy.alert.get(), policy.message.get(), policy.details.get(), policy.key.get()}) {
    if (e != nullptr) w.walk(*e);
  }
  return w.uses;
}

Uses uses_of(const CheckedProgram& program, const ast::Policy& policy, const ast::Expr& expr) {
  Walker w(program, policy);
  w.walk(expr);
  return w.uses;
}

}  // namespace reddalert::check
