#include <gtest/gtest.h>

#include <filesystem>

#include "app/engine.hpp"
#include "app/memory.hpp"
#include "base/diagnostic.hpp"
#include "base/time.hpp"
#include "config/waivers.hpp"
#include "test_support.hpp"

namespace reddalert::config {
namespace {

std::string codes(const base::Diagnostics& d) {
  std::string out;
  for (const auto& x : d.sorted()) out += x.code + "@" + std::to_string(x.location.line) + " ";
  return out;
}

TEST(Waivers, ReadsEveryKey) {
  const WaiversResult r = load_waivers_text("w.yaml", R"y(waivers:
  - policy: secgroups
    id: "sg-1 (web)"
    reason: reviewed
    owner: secops@example.com
    expires: 2027-03-31
  - policy: iam
    resources: mallory
    reason: break-glass user
    expires: "2027-01-01T12:00:00Z"
)y");
  ASSERT_TRUE(r.file);
  EXPECT_TRUE(r.diagnostics.empty()) << codes(r.diagnostics);
  ASSERT_EQ(r.file->waivers.size(), 2U);
  const Waiver& a = r.file->waivers[0];
  EXPECT_EQ(a.policy, "secgroups");
  EXPECT_EQ(a.id, "sg-1 (web)");
  EXPECT_EQ(a.owner, "secops@example.com");
  EXPECT_EQ(a.expires, *base::parse_time("2027-03-31", 0));
  EXPECT_EQ(a.location.line, 2U);
  EXPECT_EQ(a.policy_location.column, 13U);
  const Waiver& b = r.file->waivers[1];
  EXPECT_FALSE(b.id);
  EXPECT_EQ(b.resources, std::vector<std::string>{"mallory"});
  EXPECT_EQ(b.expires, *base::parse_time("2027-01-01T12:00:00Z", 0));
}

struct BadWaiver {
  const char* text;
  const char* codes;
};

class BrokenWaivers : public ::testing::TestWithParam<BadWaiver> {};

TEST_P(BrokenWaivers, NameTheLine) {
  const WaiversResult r = load_waivers_text("w.yaml", GetParam().text);
  EXPECT_EQ(codes(r.diagnostics), GetParam().codes) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, BrokenWaivers,
    ::testing::Values(
        BadWaiver{"waivers: [", "E0410@1 "}, BadWaiver{"waivers:\n  - {policy: \"\xFF\"}\n", "E0410@2 "},
        BadWaiver{"- policy: x\n", "E0412@1 "}, BadWaiver{"waivers: {policy: x}\n", "E0412@1 "},
        BadWaiver{"waivers: []\nextra: 1\n", "E0411@2 "},
        // no id or resources; no reason; no expires
        BadWaiver{"waivers:\n  - policy: elbs\n", "E0412@2 E0412@2 E0412@2 "},
        BadWaiver{"waivers:\n  - {policy: elbs, id: a, reasn: r, reason: r, expires: 2027-01-01}\n", "E0411@2 "},
        BadWaiver{"waivers:\n  - {policy: elbs, id: a, reason: r,\n     expires: tomorrow}\n", "E0412@3 "},
        BadWaiver{"waivers:\n  - {policy: elbs, id: a, reason: r, expires: -7d}\n", "E0412@2 "},
        BadWaiver{"waivers:\n  - {policy: elbs, resources: [], reason: r, expires: 2027-01-01}\n", "E0412@2 "},
        BadWaiver{"waivers:\n  - {policy: elbs, id: a, reason: \"\", expires: 2027-01-01}\n", "E0412@2 "},
        BadWaiver{"waivers:\n  - just a string\n", "E0412@2 "}));

TEST(Waivers, MatchPolicyIdAndResources) {
  const WaiversResult r = load_waivers_text("w.yaml", R"y(waivers:
  - {policy: secgroups, id: "sg-1 (web)", reason: r, expires: 2027-01-01}
  - {policy: iam, resources: [mallory, eve], reason: r, expires: 2027-01-01}
  - {policy: elbs, id: api, resources: [elb-api], reason: r, expires: 2027-01-01}
  - {policy: ami, id: ami-1, reason: r, expires: 2020-01-01}
)y");
  ASSERT_TRUE(r.file) << codes(r.diagnostics);
  const base::Millis now = *base::parse_time("2026-06-01", 0);
  auto alert = [](std::string policy, std::string id, std::vector<std::string> resources) {
    model::Alert a;
    a.policy = std::move(policy);
    a.id = std::move(id);
    a.resources = std::move(resources);
    return a;
  };
  auto line_of = [&](const model::Alert& a) {
    const Waiver* w = app::find_waiver(*r.file, a, now);
    return w ? static_cast<int>(w->location.line) : 0;
  };
  EXPECT_EQ(line_of(alert("secgroups", "sg-1 (web)", {"sg-1"})), 2);
  EXPECT_EQ(line_of(alert("secgroups", "sg-2 (db)", {"sg-2"})), 0);
  EXPECT_EQ(line_of(alert("elbs", "sg-1 (web)", {"sg-1"})), 0);  // another policy's alert id
  EXPECT_EQ(line_of(alert("iam", "eve", {"eve"})), 3);
  EXPECT_EQ(line_of(alert("iam", "bob", {"bob", "admins"})), 0);
  EXPECT_EQ(line_of(alert("elbs", "api", {"elb-api"})), 4);
  EXPECT_EQ(line_of(alert("elbs", "api", {"elb-other"})), 0);  // both given: both must match
  EXPECT_EQ(line_of(alert("ami", "ami-1", {"ami-1"})), 0);     // expired
  EXPECT_EQ(app::find_waiver(*r.file, alert("ami", "ami-1", {}), *base::parse_time("2019-12-31", 0))->location.line,
            5U);
}

// The shipped example (etc/waivers.yaml) names only shipped policies and lints clean with
// them, on the day this test was written: the example is meant to be copied, so its dates
// expire some day, and this asks about its shape, not about today.
TEST(Waivers, TheShippedExampleLintsCleanWithTheShippedPolicies) {
  const std::string repo = REDDALERT_SOURCE_DIR;
  const std::string config = (std::filesystem::temp_directory_path() / "reddalert-example-waivers.yaml").string();
  // The policies from the configuration, not the command line: a waiver naming a policy
  // that is not loaded is then an error (E0413).
  testing::write_file(config, "policies: [" + repo + "/policies]\nwaivers: " + repo + "/etc/waivers.yaml\n");
  app::LoadRequest request;
  request.config_path = config;
  request.now = *base::parse_time("2026-12-01", 0);
  const app::Engine engine(request);
  std::filesystem::remove(config);
  EXPECT_TRUE(engine.lint().empty()) << codes(engine.lint());
  EXPECT_GE(engine.waivers().waivers.size(), 2U);
}

}  // namespace
}  // namespace reddalert::config
