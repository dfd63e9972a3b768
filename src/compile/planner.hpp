// Join planning. A comprehension or quantifier whose source does not change during a run
// (a collection, a top-level let) and whose condition has a conjunct `K(x) == V`,
// `V == K(x)` or `V in K(x)`, where K reads only the element x and V not at all, is
// evaluated through a hash index from K's values to the elements, built once per run on
// first use (as OPA indexes comprehensions): `[i for i in view.instances if g.groupId in
// i.securityGroups[*].groupId]` costs a lookup per group instead of a scan.
#pragma once

#include <map>
#include <optional>
#include <set>

#include "check/check.hpp"

namespace reddalert::compile {

struct JoinPlan {
  const ast::Expr* key;    // K(x)
  const ast::Expr* probe;  // V
  bool membership;         // V in K(x); else K(x) == V
};

class JoinPlanner {
 public:
  explicit JoinPlanner(const check::CheckedProgram& checked) : checked_(checked) {}

  // The plan for a comprehension or quantifier binding `binder` over `source` and keeping
  // the elements for which `condition` holds; nothing when it cannot use an index.
  std::optional<JoinPlan> plan(const ast::Expr& binder, const ast::Expr& source, const ast::Expr* condition);

 private:
  // The slots of the enclosing frame that `e` reads (those bound inside it excluded).
  std::set<int> free_slots(const ast::Expr& e);
  // Whether `e` could record first_seen() state, directly or through the defs it calls.
  bool records_state(const ast::Expr& e);
  bool def_records_state(int def);

  const check::CheckedProgram& checked_;
  std::map<int, bool> def_state_;
};

}  // namespace reddalert::compile
