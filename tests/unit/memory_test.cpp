// A run's use of its memory as pure functions: each policy's window start, and the
// classification of raised alerts into new, repeated, waived and resolved.
#include <gtest/gtest.h>

#include "app/memory.hpp"
#include "app/settings.hpp"

namespace reddalert::app {
namespace {

model::Alert raised(const std::string& policy, const std::string& id) {
  model::Alert a;
  a.policy = policy;
  a.id = id;
  a.fingerprint = "fp:" + policy + "/" + id;
  return a;
}

TEST(PolicyWindows, EachPolicyStartsWhereItsLastWindowEnded) {
  state::State s;
  s.policies["a"].until = 100;
  s.policies["b"].until = 200;
  s.policies["c"].first_seen["x"] = 1;  // memory, but never a window of its own
  const auto groups = policy_windows({"a", "b", "c", "d"}, s, std::nullopt, 7);
  ASSERT_EQ(groups.size(), 3U);
  EXPECT_EQ(groups.at(100), (std::set<std::string>{"a"}));
  EXPECT_EQ(groups.at(200), (std::set<std::string>{"b"}));
  EXPECT_EQ(groups.at(7), (std::set<std::string>{"c", "d"}));  // new to the state: the fallback
}

TEST(PolicyWindows, TheCommandLineWinsAndTheLegacyStartFillsIn) {
  state::State s;
  s.policies["a"].until = 100;
  s.legacy_since = 50;
  EXPECT_EQ(policy_windows({"a", "b"}, s, 10, 7).at(10), (std::set<std::string>{"a", "b"}));
  const auto groups = policy_windows({"a", "b"}, s, std::nullopt, 7);
  EXPECT_EQ(groups.at(100), (std::set<std::string>{"a"}));
  EXPECT_EQ(groups.at(50), (std::set<std::string>{"b"}));
}

class Classify : public ::testing::Test {
 protected:
  void SetUp() override {
    policy_.name = "p";
    policy_.title = "T";
    policy_.severity = "high";
    in_.until = 1000;
    in_.now = 1000;
  }
  eval::CompiledPolicy policy_;
  state::State state_;
  ClassifyInput in_;
};

TEST_F(Classify, WithoutStateEveryAlertIsNew) {
  const Classified c = classify({raised("p", "1"), raised("p", "2")}, in_);
  EXPECT_EQ(c.report.size(), 2U);
  EXPECT_TRUE(c.records.empty());
  EXPECT_TRUE(c.resolved.empty());
}

TEST_F(Classify, AnAlertReportedBeforeIsARepeatUnlessAll) {
  state_.alerts["fp:p/1"] = {"p", "1", 10, 20};
  in_.state = &state_;
  Classified c = classify({raised("p", "1"), raised("p", "2")}, in_);
  ASSERT_EQ(c.report.size(), 1U);
  EXPECT_EQ(c.report[0].id, "2");
  EXPECT_EQ(c.repeated, 1U);
  EXPECT_EQ(c.records.at("fp:p/1").first, 10);
  EXPECT_EQ(c.records.at("fp:p/1").last, 1000);
  EXPECT_EQ(c.records.at("fp:p/2").first, 1000);
  in_.all = true;
  c = classify({raised("p", "1")}, in_);
  ASSERT_EQ(c.report.size(), 1U);
  EXPECT_EQ(c.report[0].first_seen, 10);
}

TEST_F(Classify, AWaivedAlertIsNeitherReportedNorRememberedNorResolved) {
  config::WaiverFile waivers;
  config::Waiver w;
  w.policy = "p";
  w.id = "1";
  w.reason = "accepted";
  w.expires = 2000;
  waivers.waivers.push_back(w);
  state_.alerts["fp:p/1"] = {"p", "1", 10, 20};
  in_.state = &state_;
  in_.waivers = &waivers;
  in_.resolving["p"] = {&policy_, 0};
  const Classified c = classify({raised("p", "1")}, in_);
  EXPECT_TRUE(c.report.empty());
  EXPECT_EQ(c.waived, 1U);
  EXPECT_TRUE(c.resolved.empty());             // it still fires
  EXPECT_EQ(c.records.at("fp:p/1").last, 20);  // not touched
}

TEST_F(Classify, AConditionThatStoppedFiringResolvesOnce) {
  state_.alerts["fp:p/gone"] = {"p", "gone", 10, 20};
  state_.alerts["fp:q/other"] = {"q", "other", 10, 20};  // q was not evaluated: kept
  in_.state = &state_;
  in_.resolving["p"] = {&policy_, 500};
  const Classified c = classify({}, in_);
  ASSERT_EQ(c.resolved.size(), 1U);
  const model::Alert& r = c.resolved[0];
  EXPECT_TRUE(r.resolved);
  EXPECT_EQ(r.id, "gone");
  EXPECT_EQ(r.fingerprint, "fp:p/gone");
  EXPECT_EQ(r.title, "T");
  EXPECT_EQ(r.first_seen, 10);
  EXPECT_EQ(r.last_seen, 20);
  EXPECT_EQ(r.since, 500);
  EXPECT_EQ(r.until, 1000);
  EXPECT_EQ(c.records.count("fp:p/gone"), 0U);
  EXPECT_EQ(c.records.count("fp:q/other"), 1U);
}

TEST_F(Classify, LearningRecordsAndReportsNothing) {
  state_.alerts["fp:p/gone"] = {"p", "gone", 10, 20};
  in_.state = &state_;
  in_.learn = true;
  in_.resolving["p"] = {&policy_, 0};
  const Classified c = classify({raised("p", "1")}, in_);
  EXPECT_TRUE(c.report.empty());
  EXPECT_TRUE(c.resolved.empty());
  EXPECT_EQ(c.learned, 1U);
  EXPECT_EQ(c.records.count("fp:p/1"), 1U);
  EXPECT_EQ(c.records.count("fp:p/gone"), 0U);
}

TEST(Settings, TheCommandLineThenTheConfigurationThenTheDefaults) {
  CheckOptions o;
  config::Config c;
  c.snapshot = "snap";
  c.output = {"stdout", "email"};
  c.state = "/var/lib/state.json";
  c.limits.jobs = 3;
  c.limits.max_steps = 99;
  c.lag = 1000;
  SettingsResult r = resolve_settings(o, c, 8);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(r.settings.snapshot, "snap");
  EXPECT_EQ(r.settings.outputs, (std::vector<std::string>{"stdout", "email"}));
  EXPECT_EQ(r.settings.state_path, "/var/lib/state.json");
  EXPECT_EQ(r.settings.jobs, 3U);
  EXPECT_EQ(r.settings.evaluation.max_steps, 99U);
  EXPECT_EQ(r.settings.lag, 1000);
  o.edda = "http://edda/edda";  // the command line's source replaces the configuration's
  o.jobs = 2;
  o.max_steps = 5;
  o.outputs = {"tsv"};
  r = resolve_settings(o, c, 8);
  EXPECT_EQ(r.settings.edda, "http://edda/edda");
  EXPECT_EQ(r.settings.snapshot, "");
  EXPECT_EQ(r.settings.jobs, 2U);
  EXPECT_EQ(r.settings.evaluation.max_steps, 5U);
  EXPECT_EQ(r.settings.outputs, (std::vector<std::string>{"tsv"}));
  r = resolve_settings(CheckOptions{}, std::nullopt, 8);
  EXPECT_NE(r.error.find("no data source"), std::string::npos);
  EXPECT_EQ(r.settings.outputs, (std::vector<std::string>{"stdout"}));
  EXPECT_EQ(r.settings.jobs, 8U);
  EXPECT_TRUE(r.settings.store_until);
}

TEST(Settings, TwoSourcesAreAnError) {
  CheckOptions o;
  o.snapshot = "s";
  o.edda = "http://e/edda";
  EXPECT_NE(resolve_settings(o, std::nullopt, 1).error.find("not both"), std::string::npos);
}

}  // namespace
}  // namespace reddalert::app
