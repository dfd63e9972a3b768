#include "compile/planner.hpp"

#include <vector>

#include "lang/builtins.hpp"

namespace reddalert::compile {

namespace {

// The conjuncts of an `and` chain, left to right.
void conjuncts(const ast::Expr& e, std::vector<const ast::Expr*>& out) {
  if (const auto* b = e.as<ast::Binary>(); b && b->op == ast::BinaryOp::And) {
    conjuncts(*b->lhs, out);
    conjuncts(*b->rhs, out);
    return;
  }
  out.push_back(&e);
}

bool binds(const ast::Expr& e) {
  return e.as<ast::Quantifier>() || e.as<ast::ListComp>() || e.as<ast::MapComp>() || e.as<ast::Lambda>() ||
         e.as<ast::Projection>();
}

}  // namespace

std::set<int> JoinPlanner::free_slots(const ast::Expr& e) {
  std::set<int> read, bound;
  const std::function<void(const ast::Expr&)> walk = [&](const ast::Expr& x) {
    if (x.as<ast::Name>()) {
      const check::Ref& r = checked_.ref(x);
      if (r.kind == check::Ref::Kind::Local) read.insert(r.index);
    }
    if (binds(x)) bound.insert(checked_.slot(x.id));
    ast::for_each_child(x, walk);
  };
  walk(e);
  std::set<int> out;
  for (const int s : read) {
    if (!bound.count(s)) out.insert(s);
  }
  return out;
}

bool JoinPlanner::def_records_state(int def) {
  if (const auto it = def_state_.find(def); it != def_state_.end()) return it->second;
  def_state_[def] = false;  // no recursion: lint rejects it
  const bool records = records_state(*checked_.defs[static_cast<std::size_t>(def)]->body);
  return def_state_[def] = records;
}

bool JoinPlanner::records_state(const ast::Expr& e) {
  bool records = false;
  const std::function<void(const ast::Expr&)> walk = [&](const ast::Expr& x) {
    if (records) return;
    if (const auto* c = x.as<ast::Call>()) {
      const check::Ref& r = checked_.ref(x);
      if (r.kind == check::Ref::Kind::Def) records = def_records_state(r.index);
      const lang::BuiltinSignature* b = lang::find_builtin(c->name);
      if (r.kind == check::Ref::Kind::Builtin && b && (b->flags & lang::kNeedsPolicy)) records = true;
    }
    ast::for_each_child(x, walk);
  };
  walk(e);
  return records;
}

std::optional<JoinPlan> JoinPlanner::plan(const ast::Expr& binder, const ast::Expr& source,
                                          const ast::Expr* condition) {
  if (condition == nullptr) return std::nullopt;
  // The source must be the same for every evaluation in a run, and nothing skipped for an
  // element may have been recorded (first_seen) had it been evaluated.
  if (!free_slots(source).empty() || records_state(source) || records_state(*condition)) return std::nullopt;
  const int x = checked_.slot(binder.id);
  const std::set<int> only_x{x};
  std::vector<const ast::Expr*> parts;
  conjuncts(*condition, parts);
  for (const ast::Expr* part : parts) {
    const auto* b = part->as<ast::Binary>();
    if (b == nullptr) continue;
    const auto candidate = [&](const ast::Expr& key, const ast::Expr& probe) {
      return free_slots(key) == only_x && !free_slots(probe).count(x);
    };
    if (b->op == ast::BinaryOp::Eq) {
      if (candidate(*b->lhs, *b->rhs)) return JoinPlan{b->lhs.get(), b->rhs.get(), false};
      if (candidate(*b->rhs, *b->lhs)) return JoinPlan{b->rhs.get(), b->lhs.get(), false};
    } else if (b->op == ast::BinaryOp::In && candidate(*b->rhs, *b->lhs)) {
      return JoinPlan{b->rhs.get(), b->lhs.get(), true};
    }
  }
  return std::nullopt;
}

}  // namespace reddalert::compile
