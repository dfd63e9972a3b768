// The comparison behind `diff --base`: policies paired (renames included), alerts paired by
// id, params compared, and the reports' escaping of what the data carries.
#include <sstream>

#include <gtest/gtest.h>

#include "app/alert_diff.hpp"

namespace reddalert::app {
namespace {

model::Alert alert(std::string policy, std::string id, std::string message, std::string severity = "high") {
  model::Alert a;
  a.policy = std::move(policy);
  a.id = std::move(id);
  a.messages = {std::move(message)};
  a.severity = std::move(severity);
  return a;
}

DiffPolicy policy(std::string name, std::string file, int ordinal = 0, std::string title = "") {
  DiffPolicy p;
  p.name = std::move(name);
  p.title = title.empty() ? "title of " + p.name : std::move(title);
  p.severity = "high";
  p.file = std::move(file);
  p.ordinal = ordinal;
  return p;
}

const PolicyChange& change(const DiffResult& d, const std::string& name) {
  for (const PolicyChange& c : d.policies) {
    if (c.policy == name) return c;
  }
  ADD_FAILURE() << "no change for " << name;
  return d.policies.front();
}

TEST(AlertDiff, AlertsPairedById) {
  DiffSide before, after;
  before.policies = {policy("sg", "sg.policy")};
  after.policies = {policy("sg", "sg.policy")};
  before.alerts = {alert("sg", "a", "same"), alert("sg", "b", "old text"), alert("sg", "gone", "x")};
  after.alerts = {alert("sg", "a", "same"), alert("sg", "b", "new text"), alert("sg", "new", "y")};
  const DiffResult d = compare(before, after);
  const PolicyChange& c = change(d, "sg");
  EXPECT_EQ(c.status, PolicyChange::Status::Changed);
  ASSERT_EQ(c.added.size(), 1u);
  EXPECT_EQ(c.added[0]->id, "new");
  ASSERT_EQ(c.removed.size(), 1u);
  EXPECT_EQ(c.removed[0]->id, "gone");
  ASSERT_EQ(c.changed.size(), 1u);
  EXPECT_EQ(c.changed[0].first->messages[0], "old text");
  EXPECT_EQ(c.changed[0].second->messages[0], "new text");
  EXPECT_EQ(d.added + d.removed + d.changed, 3u);
  EXPECT_TRUE(d.alerts_change());
}

TEST(AlertDiff, SeverityDetailsAndResourcesChangeAnAlert) {
  for (int field = 0; field < 3; ++field) {
    DiffSide before, after;
    before.policies = after.policies = {policy("p", "p.policy")};
    before.alerts = {alert("p", "i", "m")};
    after.alerts = before.alerts;
    if (field == 0) after.alerts[0].severity = "critical";
    if (field == 1) after.alerts[0].details = {"{\"port\":22}"};
    if (field == 2) after.alerts[0].resources = {"sg-1"};
    EXPECT_EQ(compare(before, after).changed, 1u) << field;
  }
}

TEST(AlertDiff, NothingChanges) {
  DiffSide before, after;
  before.policies = after.policies = {policy("p", "p.policy")};
  before.alerts = after.alerts = {alert("p", "i", "m")};
  const DiffResult d = compare(before, after);
  EXPECT_FALSE(d.alerts_change());
  EXPECT_EQ(change(d, "p").status, PolicyChange::Status::Unchanged);
}

TEST(AlertDiff, AddedAndRemovedPolicies) {
  DiffSide before, after;
  before.policies = {policy("old", "old.policy")};
  after.policies = {policy("new", "new.policy")};
  before.alerts = {alert("old", "i", "m")};
  after.alerts = {alert("new", "j", "m"), alert("new", "k", "m")};
  const DiffResult d = compare(before, after);
  ASSERT_EQ(d.policies.size(), 2u);
  EXPECT_EQ(d.policies[0].policy, "new");  // the working tree's order, then what was removed
  EXPECT_EQ(d.policies[0].status, PolicyChange::Status::Added);
  EXPECT_EQ(d.policies[0].added.size(), 2u);
  EXPECT_EQ(d.policies[1].policy, "old");
  EXPECT_EQ(d.policies[1].status, PolicyChange::Status::Removed);
  EXPECT_EQ(d.policies[1].removed.size(), 1u);
}

TEST(AlertDiff, RenamedInPlaceOrByTitle) {
  DiffSide before, after;
  before.policies = {policy("a", "f.policy", 0), policy("b", "f.policy", 1, "Same title")};
  after.policies = {policy("a2", "f.policy", 0), policy("b2", "g.policy", 0, "Same title")};
  before.alerts = {alert("a", "x", "m")};
  after.alerts = {alert("a2", "x", "m")};
  const DiffResult d = compare(before, after);
  ASSERT_EQ(d.policies.size(), 2u);
  EXPECT_EQ(change(d, "a2").status, PolicyChange::Status::Renamed);
  EXPECT_EQ(change(d, "a2").renamed_from, "a");
  EXPECT_TRUE(change(d, "a2").added.empty());  // its alerts are compared by id, not re-added
  EXPECT_EQ(change(d, "b2").renamed_from, "b");
  EXPECT_FALSE(d.alerts_change());
}

TEST(AlertDiff, ParamsCompared) {
  DiffSide before, after;
  before.policies = {policy("p", "p.policy")};
  after.policies = {policy("p", "p.policy")};
  before.policies[0].params = {{"ports", "[80,443]"}, {"gone", "1"}};
  after.policies[0].params = {{"ports", "[80]"}, {"new", "\"x\""}};
  const DiffResult d = compare(before, after);
  const PolicyChange& c = change(d, "p");
  EXPECT_EQ(c.status, PolicyChange::Status::Changed);
  ASSERT_EQ(c.params.size(), 3u);
  EXPECT_EQ(c.params[0].name, "gone");
  EXPECT_FALSE(c.params[0].after);
  EXPECT_EQ(c.params[2].name, "ports");
  EXPECT_EQ(*c.params[2].before, "[80,443]");
  EXPECT_FALSE(d.alerts_change());  // params alone do not change alerts
}

TEST(AlertDiff, BaseThatDoesNotCompileMakesEveryAlertAdded) {
  DiffSide before, after;
  before.errors.error("E0001", {}, "syntax error");
  before.policies = {policy("p", "p.policy")};  // ignored: the base failed
  after.policies = {policy("p", "p.policy")};
  after.alerts = {alert("p", "i", "m")};
  const DiffResult d = compare(before, after);
  EXPECT_TRUE(d.base_failed);
  EXPECT_EQ(change(d, "p").status, PolicyChange::Status::Added);
  EXPECT_EQ(d.added, 1u);
}

TEST(AlertDiff, MarkdownHoldsDataInCodeSpans) {
  DiffSide before, after;
  after.policies = {policy("p", "p.policy")};
  after.alerts = {alert("p", "<img src=x>", "tag `a``b` by @team\n| cell |")};
  DiffResult d = compare(before, after);
  d.base = "main";
  d.commit = "0123456789abcdef";
  std::ostringstream out;
  write_diff_markdown(d, out, {.max_alerts = 10});
  const std::string md = out.str();
  EXPECT_NE(md.find("- `<img src=x>` ```tag `a``b` by @team | cell |```"), std::string::npos) << md;
  EXPECT_NE(md.find("| `p` | added | 1 | 0 | 0 |"), std::string::npos) << md;
}

TEST(AlertDiff, MarkdownListsTheFirstAlerts) {
  DiffSide before, after;
  after.policies = {policy("p", "p.policy")};
  for (int i = 0; i < 5; ++i) after.alerts.push_back(alert("p", "id" + std::to_string(i), "m"));
  DiffResult d = compare(before, after);
  std::ostringstream out;
  write_diff_markdown(d, out, {.max_alerts = 2});
  EXPECT_NE(out.str().find("`id1`"), std::string::npos);
  EXPECT_EQ(out.str().find("`id2`"), std::string::npos);
  EXPECT_NE(out.str().find("- and 3 more"), std::string::npos);
}

}  // namespace
}  // namespace reddalert::app
