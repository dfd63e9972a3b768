// Which policies `check` and `test` select: a pure function of the loaded policies' names,
// severities, tags and `enabled`, and of --policy, --tag, --severity and --skip-policy.
#include <gtest/gtest.h>

#include "app/selection.hpp"

namespace reddalert::app {
namespace {

std::vector<PolicyFacts> loaded() {
  return {
      {"iam", "medium", {"iam"}, true},
      {"iam-admins", "high", {"iam"}, true},
      {"secgroups", "high", {"ec2", "network"}, true},
      {"ssh-world", "critical", {"ec2", "network"}, true},
      {"newtag", "low", {"ec2", "inventory"}, true},
      {"legacy", "info", {}, false},  // `enabled: false` in the configuration
  };
}

using Names = std::set<std::string>;
using List = std::vector<std::string>;

// A selection with its fields set by name: Sel().tags({"iam"}).severity("high").
struct Sel {
  Selection s;
  Sel& policies(List v) { return s.policies = std::move(v), *this; }
  Sel& tags(List v) { return s.tags = std::move(v), *this; }
  Sel& severity(std::string v) { return s.severity = std::move(v), *this; }
  Sel& skip(List v) { return s.skip = std::move(v), *this; }
  operator const Selection&() const { return s; }
};

Names selected(const Selection& s) {
  const SelectionResult r = select_policies(loaded(), s);
  EXPECT_FALSE(r.diagnostics.has_errors()) << (r.diagnostics.empty() ? "" : r.diagnostics.items().front().message);
  return r.selected;
}

// The one error the selection reports, as "CODE message | hint".
std::string error_of(const Selection& s) {
  const SelectionResult r = select_policies(loaded(), s);
  EXPECT_TRUE(r.selected.empty() || r.diagnostics.error_count() > 0);
  if (r.diagnostics.error_count() != 1) return "errors: " + std::to_string(r.diagnostics.error_count());
  const base::Diagnostic& d = r.diagnostics.items().front();
  return d.code + " " + d.message + " | " + d.hint;
}

TEST(Glob, StarAndQuestionMark) {
  EXPECT_TRUE(glob_match("iam-*", "iam-admins"));
  EXPECT_TRUE(glob_match("iam*", "iam"));
  EXPECT_FALSE(glob_match("iam-*", "iam"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("*-world", "ssh-world"));
  EXPECT_TRUE(glob_match("s*g*s", "secgroups"));
  EXPECT_FALSE(glob_match("s*g*x", "secgroups"));
  EXPECT_TRUE(glob_match("ia?", "iam"));
  EXPECT_FALSE(glob_match("ia?", "ia"));
  EXPECT_FALSE(glob_match("ia?", "iams"));
  EXPECT_TRUE(glob_match("*a*a*a*", "banana-a"));
  EXPECT_FALSE(glob_match("secgroups", "secgroups2"));
  EXPECT_TRUE(is_glob("a*"));
  EXPECT_TRUE(is_glob("a?"));
  EXPECT_FALSE(is_glob("a-b_c"));
}

TEST(Severity, RanksInTheLanguagesOrder) {
  EXPECT_EQ(severity_rank("info"), 0);
  EXPECT_EQ(severity_rank("medium"), 2);
  EXPECT_EQ(severity_rank("critical"), 4);
  EXPECT_EQ(severity_rank("High"), -1);
  EXPECT_EQ(severity_rank(""), -1);
}

TEST(Select, NothingGivenIsEveryEnabledPolicy) {
  EXPECT_EQ(selected({}), (Names{"iam", "iam-admins", "secgroups", "ssh-world", "newtag"}));
}

TEST(Select, EachOptionAlone) {
  EXPECT_EQ(selected(Sel().policies({"secgroups", "iam"})), (Names{"iam", "secgroups"}));
  EXPECT_EQ(selected(Sel().policies({"iam*"})), (Names{"iam", "iam-admins"}));
  EXPECT_EQ(selected(Sel().tags({"network"})), (Names{"secgroups", "ssh-world"}));
  EXPECT_EQ(selected(Sel().tags({"iam", "inventory"})), (Names{"iam", "iam-admins", "newtag"}));
  EXPECT_EQ(selected(Sel().severity("high")), (Names{"iam-admins", "secgroups", "ssh-world"}));
  EXPECT_EQ(selected(Sel().severity("critical")), (Names{"ssh-world"}));
  EXPECT_EQ(selected(Sel().skip({"iam*", "newtag"})), (Names{"secgroups", "ssh-world"}));
}

TEST(Select, OptionsCompose) {
  EXPECT_EQ(selected(Sel().policies({"iam*", "secgroups"}).severity("high")), (Names{"iam-admins", "secgroups"}));
  EXPECT_EQ(selected(Sel().tags({"ec2"}).severity("high").skip({"ssh-*"})), (Names{"secgroups"}));
  EXPECT_EQ(selected(Sel().policies({"*"}).tags({"iam"}).skip({"iam"})), (Names{"iam-admins"}));
}

TEST(Select, ANameRunsADisabledPolicyAGlobDoesNot) {
  EXPECT_EQ(selected(Sel().policies({"legacy"})), (Names{"legacy"}));
  EXPECT_EQ(selected(Sel().policies({"leg*", "iam"})), (Names{"iam"}));
  EXPECT_EQ(selected(Sel().severity("info")), (Names{"iam", "iam-admins", "secgroups", "ssh-world", "newtag"}));
  // Named, but another option leaves it out.
  EXPECT_EQ(error_of(Sel().policies({"legacy"}).severity("low")),
            "E0124 the selection leaves no policy to run | of 6 loaded policies, --policy legacy leaves 1, "
            "--severity low leaves none");
}

TEST(Select, EntriesThatMatchNothing) {
  EXPECT_EQ(error_of(Sel().policies({"iam", "secgroup"})),
            "E0119 no policy named `secgroup` | did you mean `secgroups`?");
  EXPECT_EQ(error_of(Sel().policies({"s3-*"})),
            "E0119 no policy matches `s3-*` | loaded policies: iam, iam-admins, legacy, newtag, secgroups, ssh-world");
  EXPECT_EQ(error_of(Sel().skip({"iam-admin"})),
            "E0119 no policy named `iam-admin` to skip | did you mean `iam-admins`?");
  EXPECT_EQ(error_of(Sel().tags({"netwrok"})), "E0119 no policy has tag `netwrok` | did you mean `network`?");
  EXPECT_EQ(error_of(Sel().tags({"compliance"})),
            "E0119 no policy has tag `compliance` | tags of the loaded policies: ec2, iam, inventory, network");
  EXPECT_EQ(error_of(Sel().severity("hihg")), "E0301 --severity: unknown severity `hihg` | did you mean `high`?");
  EXPECT_EQ(error_of(Sel().severity("urgent")),
            "E0301 --severity: unknown severity `urgent` | use one of: info, low, medium, high, critical");
}

TEST(Select, AnEmptySelectionSaysWhichOptionEmptiedIt) {
  EXPECT_EQ(error_of(Sel().tags({"inventory"}).severity("high")),
            "E0124 the selection leaves no policy to run | of 6 loaded policies, --tag inventory leaves 1, "
            "--severity high leaves none");
  // The options after the one that left none are not listed: they had nothing to filter.
  EXPECT_EQ(error_of(Sel().policies({"iam*"}).tags({"network"}).severity("critical").skip({"iam"})),
            "E0124 the selection leaves no policy to run | of 6 loaded policies, --policy iam* leaves 2, "
            "--tag network leaves none");
  EXPECT_EQ(error_of(Sel().skip({"*"})),
            "E0124 the selection leaves no policy to run | of 6 loaded policies, --skip-policy * leaves none");
  // Only disabled policies match: the configuration is the step that emptied it.
  EXPECT_EQ(error_of(Sel().severity("info").skip({"iam*", "s*", "newtag"})),
            "E0124 the selection leaves no policy to run | of 6 loaded policies, --severity info leaves 6, "
            "--skip-policy iam*,s*,newtag leaves 1, `enabled: false` in the configuration leaves none");
  const SelectionResult none = select_policies({}, Sel().severity("low"));
  ASSERT_EQ(none.diagnostics.error_count(), 1U);
  EXPECT_EQ(none.diagnostics.items().front().hint, "no policy is loaded");
}

TEST(Select, NoOptionIsNoErrorEvenWhenNothingIsEnabled) {
  const SelectionResult r = select_policies({{"legacy", "info", {}, false}}, {});
  EXPECT_TRUE(r.selected.empty());
  EXPECT_TRUE(r.diagnostics.empty());
}

TEST(Select, AWrongEntryIsTheOnlyErrorNotAlsoAnEmptySelection) {
  const SelectionResult r = select_policies(loaded(), Sel().policies({"nope"}));
  EXPECT_TRUE(r.selected.empty());
  ASSERT_EQ(r.diagnostics.error_count(), 1U);
  EXPECT_EQ(r.diagnostics.items().front().code, "E0119");
}

}  // namespace
}  // namespace reddalert::app
