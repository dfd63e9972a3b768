// check --format compliance (app/compliance.hpp): a control's result from the policies
// mapped to it, and the catalog the binary carries.
#include <gtest/gtest.h>

#include "app/compliance.hpp"
#include "app/coverage_doc.hpp"

namespace reddalert::app {
namespace {

config::Catalog catalog() {
  config::Catalog c;
  config::Framework f{.id = "cis", .title = "CIS", .controls = {}};
  for (const char* id : {"1", "2", "3", "4", "5"}) {
    f.controls.push_back({.id = id,
                          .title = std::string("control ") + id,
                          .cls = id[0] == '5' ? "N" : "E",
                          .checks = {},
                          .severity = {},
                          .service = {},
                          .fields = {},
                          .why = "the account API"});
  }
  c.frameworks.push_back(f);
  c.frameworks.push_back({.id = "other", .title = "Other", .controls = {}});
  return c;
}

TEST(Compliance, AControlFailsPassesOrIsNotEvaluatedByItsPolicies) {
  const config::Catalog cat = catalog();
  std::map<std::string, PolicyOutcome> policies;
  policies["finds"] = {.controls = {{"cis", {"1", "2"}}}, .alerts = 3, .checks = {}, .not_evaluated = {}};
  policies["clean"] = {.controls = {{"cis", {"2", "3"}}}, .alerts = 0, .checks = {}, .not_evaluated = {}};
  policies["blind"] = {
      .controls = {{"cis", {"3", "4"}}}, .alerts = 0, .checks = {}, .not_evaluated = "field x not provided"};
  const auto report = compliance(cat, {"cis"}, policies);
  ASSERT_EQ(report.size(), 1U);
  const auto& c = report[0].controls;
  ASSERT_EQ(c.size(), 5U);
  EXPECT_EQ(c[0].status, ControlStatus::Failed);  // 1: finds
  EXPECT_EQ(c[0].alerts, 3U);
  EXPECT_EQ(c[1].status, ControlStatus::Failed);        // 2: finds and clean: what one found fails it
  EXPECT_EQ(c[2].status, ControlStatus::NotEvaluated);  // 3: clean and blind: unknown, not passed
  EXPECT_EQ(c[2].reason, "blind: field x not provided");
  EXPECT_EQ(c[3].status, ControlStatus::NotEvaluated);  // 4: blind only
  EXPECT_EQ(c[4].status, ControlStatus::NotCovered);    // 5: class N
  EXPECT_EQ(c[4].reason, "outside the data EDDA serves: the account API");
  EXPECT_EQ(report[0].counts.at(ControlStatus::Failed), 2U);

  policies.erase("finds");
  policies.erase("blind");
  const auto clean = compliance(cat, {}, policies);
  ASSERT_EQ(clean.size(), 2U);  // no --control: every framework
  EXPECT_EQ(clean[0].controls[1].status, ControlStatus::Passed);
  EXPECT_EQ(clean[0].controls[0].status, ControlStatus::NotCovered);
  EXPECT_EQ(clean[0].controls[0].reason, "no policy of this run maps it (class E)");

  const nlohmann::json j = compliance_json(clean);
  EXPECT_EQ(j["format"], "reddalert-compliance/1");
  EXPECT_EQ(j["frameworks"][0]["summary"]["passed"], 2);
  EXPECT_EQ(j["frameworks"][0]["controls"][1]["policies"], nlohmann::json::array({"clean"}));
}

// A catalog with Prowler's checks a, b, c, d and a CIS framework whose control 1 is checks a
// and b, 2 is c, and 3 lists none of them.
config::Catalog table_catalog() {
  const auto control = [](std::string id, std::vector<std::string> checks) {
    return config::Control{.id = std::move(id),
                           .title = {},
                           .cls = "E",
                           .checks = std::move(checks),
                           .severity = {},
                           .service = {},
                           .fields = {},
                           .why = {}};
  };
  config::Catalog c;
  c.frameworks.push_back({.id = "prowler",
                          .title = "Prowler",
                          .controls = {control("a", {}), control("b", {}), control("c", {}), control("d", {})}});
  c.frameworks.push_back(
      {.id = "cis", .title = "CIS", .controls = {control("1", {"a", "b"}), control("2", {"c"}), control("3", {"x"})}});
  return c;
}

// `policies` by control id: status and alerts, "1 failed 2", "3 passed 0".
std::map<std::string, std::string> results(const config::Catalog& cat, const std::string& framework,
                                           const std::map<std::string, PolicyOutcome>& policies) {
  std::map<std::string, std::string> out;
  const std::vector<FrameworkResult> report = compliance(cat, {framework}, policies);
  for (const ControlResult& r : report.at(0).controls)
    out[r.control->id] = std::string(status_name(r.status)) + " " + std::to_string(r.alerts);
  return out;
}

TEST(Compliance, ATablePolicysFindingsCountAgainstTheChecksTheyName) {
  const config::Catalog cat = table_catalog();
  // One policy decides checks a, b and c; its findings name a (two alerts) and b (one).
  std::map<std::string, PolicyOutcome> policies;
  policies["table"] = {.controls = {{"prowler", {"a", "b", "c"}}, {"cis", {"1", "2", "3"}}},
                       .alerts = 3,
                       .checks = {{"a"}, {"b"}, {"a"}},
                       .not_evaluated = {}};
  EXPECT_EQ(results(cat, "prowler", policies),
            (std::map<std::string, std::string>{
                {"a", "failed 2"}, {"b", "failed 1"}, {"c", "passed 0"}, {"d", "not covered 0"}}));
  // CIS 1 is checks a and b (the catalog's `checks:`), 2 is c; 3 relates to none of the
  // policy's checks, so the policy's mapping stands and every alert counts.
  EXPECT_EQ(results(cat, "cis", policies),
            (std::map<std::string, std::string>{{"1", "failed 3"}, {"2", "passed 0"}, {"3", "failed 3"}}));

  // An alert with a finding that names no check (or a check the policy does not map)
  // counts against every control; one whose findings name a and c counts against both.
  policies["table"].alerts = 4;
  policies["table"].checks = {{"a"}, {"a", "c"}, {"b", ""}};  // the fourth alert is not listed: it names none
  EXPECT_EQ(results(cat, "prowler", policies),
            (std::map<std::string, std::string>{
                {"a", "failed 4"}, {"b", "failed 2"}, {"c", "failed 3"}, {"d", "not covered 0"}}));
  policies["table"].alerts = 1;
  policies["table"].checks = {{"d"}};
  EXPECT_EQ(results(cat, "prowler", policies)["c"], "failed 1");

  // Not evaluated: nothing was found, and what would have been is unknown.
  policies["table"] = {
      .controls = {{"prowler", {"a", "b", "c"}}}, .alerts = 0, .checks = {}, .not_evaluated = "field x not provided"};
  EXPECT_EQ(results(cat, "prowler", policies)["c"], "not evaluated 0");
}

TEST(Compliance, AFindingNamesTheCheckInItsDetails) {
  EXPECT_EQ(finding_checks({R"({"check":"a","port":22})", R"({"port":23})", R"(["check"])", R"({"check":1})", "7"}),
            (std::vector<std::string>{"a", "", "", "", ""}));
  EXPECT_TRUE(finding_checks({}).empty());
}

// The catalog the binary carries relates sg-world-open-port's checks to CIS 5.2: the SSH
// and RDP checks are among its `checks`, MySQL's is not.
TEST(Compliance, TheCarriedCatalogRelatesProwlerChecksToCisControls) {
  const std::string ssh = "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22";
  const std::string mysql = "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mysql_3306";
  std::map<std::string, PolicyOutcome> policies;
  policies["sg-world-open-port"] = {.controls = {{"prowler", {ssh, mysql}}, {"cis-aws-3.0", {"5.2"}}},
                                    .alerts = 2,
                                    .checks = {{mysql}, {mysql}},
                                    .not_evaluated = {}};
  EXPECT_EQ(results(config::builtin_catalog(), "cis-aws-3.0", policies)["5.2"], "passed 0");
  policies["sg-world-open-port"].checks = {{mysql}, {ssh, mysql}};
  EXPECT_EQ(results(config::builtin_catalog(), "cis-aws-3.0", policies)["5.2"], "failed 1");
  EXPECT_EQ(results(config::builtin_catalog(), "prowler", policies)[mysql], "failed 2");
}

TEST(Compliance, TheCarriedCatalogHasEveryControlOfTheStudy) {
  const config::Catalog& c = config::builtin_catalog();
  ASSERT_NE(c.find("cis-aws-3.0"), nullptr);
  EXPECT_EQ(c.find("cis-aws-1.5")->controls.size(), 63U);
  EXPECT_EQ(c.find("cis-aws-2.0")->controls.size(), 64U);
  EXPECT_EQ(c.find("cis-aws-3.0")->controls.size(), 62U);
  std::map<std::string, int> classes;
  for (const config::Control& k : c.find("prowler")->controls) ++classes[k.cls];
  EXPECT_EQ(classes["E"] + classes["Ea"], 95);  // 93 of the listed kinds, and EBS volumes and snapshots
  EXPECT_EQ(classes["X"], 51);
}

TEST(Compliance, AMalformedCatalogNamesItsLine) {
  EXPECT_THROW(config::read_catalog("frameworks: [{id: a}]\ncontrols:\n  a:\n    - {id: x, class: Q}\n"),
               std::runtime_error);
  EXPECT_THROW(config::read_catalog("frameworks: [{id: a}]\ncontrols: {}\n"), std::runtime_error);
}

}  // namespace
}  // namespace reddalert::app

namespace reddalert::app {
namespace {

TEST(Coverage, GapsAndUnknownControlsAreNamed) {
  config::Catalog cat;
  cat.frameworks.push_back({.id = "cis", .title = "CIS", .controls = {}});
  for (const auto& [id, cls] :
       std::vector<std::pair<std::string, std::string>>{{"1", "E"}, {"2", "Ea"}, {"3", "X"}, {"4", "X"}, {"5", "N"}}) {
    cat.frameworks[0].controls.push_back({.id = id,
                                          .title = "t" + id,
                                          .cls = cls,
                                          .checks = {},
                                          .severity = {},
                                          .service = {},
                                          .fields = {},
                                          .why = "w"});
  }
  std::map<std::string, PolicyControls> policies;
  policies["a"] = {.controls = {{"cis", {"1", "9"}}}, .guarded = false};
  policies["b"] = {.controls = {{"cis", {"3"}}}, .guarded = true};
  policies["c"] = {.controls = {{"cis", {"4"}}, {"nist", {"x"}}}, .guarded = false};  // an X check, unguarded
  const CoverageReport r = coverage_report(cat, policies);
  EXPECT_EQ(r.unknown, (std::vector<std::string>{"policy a maps cis control 9, which the catalog does not have",
                                                 "policy c maps nist control x: the catalog has no framework nist"}));
  EXPECT_EQ(r.gaps, (std::vector<std::string>{"cis 2 (Ea): no policy maps it",
                                              "cis 4 (X): no policy that `requires` its fields maps it"}));
  EXPECT_NE(r.page.find("| cis | 1 of 2 | 1 of 2 | 1 |"), std::string::npos) << r.page;
  EXPECT_NE(r.page.find("| 5 | N | t5 | outside EDDA: w |"), std::string::npos) << r.page;
}

}  // namespace
}  // namespace reddalert::app
