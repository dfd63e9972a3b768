// The join planner (compile/planner.cpp): which comprehensions and quantifiers become hash
// joins. That the answers are the same either way is tested over every golden and shipped
// policy (golden_test.cpp); this tests that the plans are made where they should be, and
// only there.
#include <gtest/gtest.h>

#include <string>

#include "app/engine.hpp"
#include "base/tree_dump.hpp"
#include "check/check.hpp"
#include "compile/compile.hpp"

namespace reddalert::testing {
namespace {

std::size_t joins_in(const base::TreeDump& t) {
  std::size_t n = t.kind == "join" ? 1 : 0;
  for (const base::TreeDump& c : t.children) n += joins_in(c);
  return n;
}

// The number of joins planned in `let x = EXPR` of a policy over security groups `g`
// (with a top-level `let groups` and a local list `xs` in scope).
std::size_t joins(const std::string& expr) {
  const std::string text =
      "reddalert 1\nlet groups = [s for s in aws.securityGroups]\npolicy p {\n  title \"t\"\n"
      "  description \"d\"\n  severity low\n  for g in aws.securityGroups\n"
      "  let xs = [g.groupId]\n  let x = " +
      expr + "\n  where x != null\n  alert g.groupId\n  message \"m\"\n}\n";
  const app::Engine engine(app::LoadRequest::of_text("planner.policy", text));
  EXPECT_FALSE(engine.diagnostics().has_errors()) << expr;
  const compile::CompileResult compiled = engine.compile();
  std::size_t n = 0;
  for (const auto& p : compiled.program.policies) {
    for (const auto& c : p.clauses) n += joins_in(c.expr->dump());
  }
  return n;
}

TEST(Planner, JoinsWhereTheSourceIsConstantAndTheConditionALookup) {
  const struct {
    const char* expr;
    std::size_t joins;
  } cases[] = {
      // Planned: a collection or top-level let filtered by K(x) == V, V == K(x) or V in K(x).
      {"[i for i in view.instances if g.groupId in i.securityGroups[*].groupId]", 1},
      {"[i for i in view.instances if i.instanceId == g.groupId]", 1},
      {"[i for i in view.instances if g.groupId == i.instanceId and i.state != \"x\"]", 1},
      {"{i.instanceId: 1 for i in view.instances if i.instanceId == g.groupId}", 1},
      {"any(i in view.instances: g.groupId in i.securityGroups[*].groupId)", 1},
      {"count(i in view.instances: i.imageId == g.groupName)", 1},
      {"none(i in view.instances: i.imageId == g.groupName)", 1},
      {"[s for s in groups if s.groupId == g.groupId]", 1},
      // Not planned: `all`, a source that changes with the binding, a key that reads the
      // probe's variables, a probe that reads the element, no lookup, first_seen() inside.
      {"all(i in view.instances: i.imageId == g.groupName)", 0},
      {"[y for y in xs if y == g.groupId]", 0},
      {"[i for i in view.instances if i.instanceId == g.groupId + i.imageId]", 0},
      {"[i for i in view.instances if i.instanceId + g.groupId == \"a\"]", 0},
      {"[i for i in view.instances if i.instanceId != g.groupId]", 0},
      {"[i for i in view.instances if i.instanceId == g.groupId or i.imageId == \"a\"]", 0},
      {"[i for i in view.instances if i.instanceId == g.groupId and first_seen(i.imageId)]", 0},
  };
  for (const auto& c : cases) EXPECT_EQ(joins(c.expr), c.joins) << c.expr;
}

}  // namespace
}  // namespace reddalert::testing
