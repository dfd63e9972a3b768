// Policy metadata for remediation and compliance (help_url, references, controls) and the
// outputs that CI tools read: the pure parts of --control, the alert JSON, SARIF, JUnit and
// the JSON report.
#include <gtest/gtest.h>

#include <sstream>

#include "app/engine.hpp"
#include "check/metadata.hpp"
#include "sinks/formats.hpp"
#include "test_support.hpp"

namespace reddalert {
namespace {

using nlohmann::json;

const char* const kPolicies = R"(reddalert 1
policy ssh {
  title "SSH open"
  severity high
  description "d"
  help_url "https://wiki.example.com/ssh"
  references ["https://docs.aws.amazon.com/vpc/", 'https://example.com/b']
  controls {"cis-aws-3.0": ["5.2", "5.3"], prowler: ["ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22"]}
  for x in [1]
  alert "a"
  message "m"
}
policy plain {
  title "Plain"
  severity low
  description "d"
  for x in [1]
  alert "a"
  message "m"
}
)";

TEST(PolicyMetadata, UrlsMustBeHttpWithAHostAndNoCredentials) {
  EXPECT_EQ(check::metadata_url_problem("https://wiki.example.com/x?y#z"), "");
  EXPECT_EQ(check::metadata_url_problem("HTTP://example.com"), "");
  EXPECT_NE(check::metadata_url_problem("ftp://example.com/x"), "");
  EXPECT_NE(check::metadata_url_problem("wiki/secgroups"), "");
  EXPECT_NE(check::metadata_url_problem("https://"), "");
  EXPECT_NE(check::metadata_url_problem("https://exa mple.com"), "");
  EXPECT_EQ(check::metadata_url_problem("https://user:pw@example.com/x"),
            "it carries a user name or password, which every output would show");
  EXPECT_EQ(check::metadata_url_problem("https://example.com/a@b"), "");  // '@' in the path is no userinfo
}

TEST(PolicyMetadata, TheCompiledPolicyCarriesIt) {
  const app::Engine engine(app::LoadRequest::of_text("m.policy", kPolicies));
  ASSERT_FALSE(engine.diagnostics().has_errors()) << testing::lint_text("m.policy", kPolicies);
  const compile::CompileResult compiled = engine.compile();
  ASSERT_EQ(compiled.program.policies.size(), 2u);
  const eval::CompiledPolicy& ssh = compiled.program.policies[0];
  EXPECT_EQ(ssh.help_url, "https://wiki.example.com/ssh");
  EXPECT_EQ(ssh.references, (std::vector<std::string>{"https://docs.aws.amazon.com/vpc/", "https://example.com/b"}));
  EXPECT_EQ(ssh.controls,
            (check::Controls{{"cis-aws-3.0", {"5.2", "5.3"}},
                             {"prowler", {"ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22"}}}));
  const eval::CompiledPolicy& plain = compiled.program.policies[1];
  EXPECT_TRUE(plain.help_url.empty() && plain.references.empty() && plain.controls.empty());
}

TEST(PolicyMetadata, ControlSelectsThePoliciesMappedToTheFramework) {
  app::LoadRequest r = app::LoadRequest::of_text("m.policy", kPolicies);
  r.selection.controls = {"prowler"};
  const app::Engine engine(r);
  EXPECT_FALSE(engine.diagnostics().has_errors());
  EXPECT_EQ(engine.selected(), (std::set<std::string>{"ssh"}));

  // With --policy too, both must hold.
  r.selection.policies = {"plain"};
  EXPECT_TRUE(app::Engine(r).selected().empty());

  // A framework no loaded policy maps to is E0119, with a did-you-mean.
  app::LoadRequest typo = app::LoadRequest::of_text("m.policy", kPolicies);
  typo.selection.controls = {"cis-aws-30"};
  const app::Engine bad(typo);
  ASSERT_TRUE(bad.diagnostics().has_errors());
  const auto diags = bad.diagnostics().sorted();
  EXPECT_EQ(diags.front().code, "E0119");
  EXPECT_EQ(diags.front().message, "no loaded policy is mapped to framework `cis-aws-30` (`controls`)");
  EXPECT_NE(diags.front().hint.find("cis-aws-3.0"), std::string::npos) << diags.front().hint;
}

model::Alert alert(const std::string& policy, const std::string& id, std::vector<std::string> messages) {
  model::Alert a;
  a.policy = policy;
  a.severity = "high";
  a.title = "T";
  a.id = id;
  a.messages = std::move(messages);
  a.file = "p.policy";
  a.line = 2;
  return a;
}

TEST(AlertJson, TheNewKeysAppearOnlyWhenSetAndReadBack) {
  model::Alert a = alert("p", "x", {"m"});
  json j = model::to_json(a);
  EXPECT_FALSE(j.contains("help_url") || j.contains("references") || j.contains("controls")) << j.dump();
  a.help_url = "https://h.example.com/";
  a.references = {"https://r.example.com/"};
  a.controls = {{"cis-aws-3.0", {"5.2"}}};
  j = model::to_json(a);
  EXPECT_EQ(j["help_url"], "https://h.example.com/");
  EXPECT_EQ(j["references"], json::array({"https://r.example.com/"}));
  EXPECT_EQ(j["controls"], (json{{"cis-aws-3.0", {"5.2"}}}));
  // The text is what nlohmann writes (keys in name order), and the status file reads it back.
  std::string text;
  model::append_json(text, a);
  EXPECT_EQ(text, j.dump());
  const model::Alert back = model::alert_from_json(j);
  EXPECT_EQ(back.help_url, a.help_url);
  EXPECT_EQ(back.references, a.references);
  EXPECT_EQ(back.controls, a.controls);
}

TEST(Sarif, SecuritySeverityAndUris) {
  EXPECT_STREQ(sinks::security_severity("critical"), "9.5");
  EXPECT_STREQ(sinks::security_severity("high"), "8.0");
  EXPECT_STREQ(sinks::security_severity("medium"), "5.5");
  EXPECT_STREQ(sinks::security_severity("low"), "3.0");
  EXPECT_STREQ(sinks::security_severity("info"), "0.0");
  EXPECT_EQ(sinks::sarif_uri("policies/a b#1.policy"), "policies/a%20b%231.policy");
  EXPECT_EQ(sinks::sarif_uri("/srv/my policies/x.policy"), "file:///srv/my%20policies/x.policy");
}

struct Outputs {
  std::vector<model::Alert> alerts;
  std::vector<model::Alert> resolved;
  json summary = {{"not_evaluated", json::array()}};
  std::vector<sinks::PolicyInfo> policies;
  std::vector<sinks::Problem> problems;

  std::string write(const std::string& format) const {
    std::ostringstream out;
    sinks::write_format(format, {alerts, resolved, summary, policies, problems}, out, false);
    return out.str();
  }
};

sinks::PolicyInfo policy(const std::string& name, const std::string& file) {
  sinks::PolicyInfo p;
  p.name = name;
  p.title = "T " + name;
  p.severity = "high";
  p.file = file;
  p.line = 2;
  return p;
}

TEST(Junit, EveryPolicyIsATestcaseAndAFailingOneHasOneFailure) {
  Outputs run;
  run.policies = {policy("quiet", "a.policy"), policy("loud", "a.policy"), policy("broken", "b.policy"),
                  policy("absent", "b.policy")};
  run.alerts = {alert("loud", "x", {"m1", "m2"}), alert("loud", "y", {"m3"})};
  run.problems = {{.policy = "broken",
                   .file = "b.policy",
                   .line = 9,
                   .column = 7,
                   .resource = "sg-1",
                   .message = "division by zero",
                   .count = 2}};
  run.summary["not_evaluated"] = json::array({{{"policy", "absent"}, {"reason", "the snapshot has no aws.x"}}});
  EXPECT_EQ(run.write("junit"), R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="reddalert" tests="4" failures="1" errors="1" skipped="1">
  <testsuite name="a.policy" tests="2" failures="1" errors="0" skipped="0">
    <testcase classname="a.policy" name="loud">
      <failure type="high" message="2 alerts">x: m1; m2
y: m3
</failure>
    </testcase>
    <testcase classname="a.policy" name="quiet"/>
  </testsuite>
  <testsuite name="b.policy" tests="2" failures="0" errors="1" skipped="1">
    <testcase classname="b.policy" name="absent">
      <skipped message="the snapshot has no aws.x"/>
    </testcase>
    <testcase classname="b.policy" name="broken">
      <error type="run-time problem" message="1 run-time problem">b.policy:9:7 (resource sg-1): division by zero (2 times)
</error>
    </testcase>
  </testsuite>
</testsuites>
)");
}

TEST(JsonReport, CarriesItsFormatAndTheProblems) {
  Outputs run;
  run.problems = {
      {.policy = "p", .file = "p.policy", .line = 3, .column = 5, .resource = "", .message = "boom", .count = 1}};
  const json j = json::parse(run.write("json"));
  EXPECT_EQ(j["format"], "reddalert-report/1");
  EXPECT_EQ(j["problems"], json::parse(R"([{"column": 5, "count": 1, "file": "p.policy", "line": 3,
                                            "message": "boom", "policy": "p", "resource": null}])"));
  // Indented as json_text writes the same document.
  EXPECT_EQ(run.write("json"), base::json_text(j, 2) + "\n");
}

TEST(Sarif, RulesCarryTheMetadataAndTheInvocationItsProblems) {
  Outputs run;
  sinks::PolicyInfo p = policy("ssh", "/abs/p.policy");
  p.description = "Long text.";
  p.tags = {"ec2", "security"};
  p.help_url = "https://wiki.example.com/ssh";
  p.references = {"https://docs.example.com/a"};
  p.controls = {{"cis-aws-3.0", {"5.2"}}};
  run.policies = {p, policy("rel", "policies/r.policy")};
  run.alerts = {alert("ssh", "x", {"m"})};
  run.alerts[0].file = "/abs/p.policy";
  json doc = json::parse(run.write("sarif"));
  const json& r = doc["runs"][0];
  const json& rule = r["tool"]["driver"]["rules"][0];
  EXPECT_EQ(rule["fullDescription"]["text"], "Long text.");
  EXPECT_EQ(rule["helpUri"], "https://wiki.example.com/ssh");
  EXPECT_EQ(rule["help"]["text"],
            "Long text.\n\nHelp: https://wiki.example.com/ssh\nReferences: https://docs.example.com/a\n"
            "Controls: cis-aws-3.0 5.2");
  EXPECT_EQ(rule["properties"]["security-severity"], "8.0");
  EXPECT_EQ(rule["properties"]["tags"], json::array({"security", "ec2"}));
  EXPECT_FALSE(r["tool"]["driver"]["rules"][1].contains("helpUri"));
  EXPECT_EQ(r["tool"]["driver"]["rules"][1]["fullDescription"]["text"], "T rel");  // no description: the title
  EXPECT_EQ(r["tool"]["driver"]["version"], REDDALERT_TEST_VERSION);
  const json& location = r["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(location, (json{{"uri", "file:///abs/p.policy"}}));
  EXPECT_FALSE(r.contains("originalUriBaseIds"));  // no relative path
  EXPECT_EQ(r["invocations"][0]["executionSuccessful"], true);

  run.problems = {
      {.policy = "rel", .file = "policies/r.policy", .line = 3, .column = 5, .resource = "i-1", .message = "boom"}};
  doc = json::parse(run.write("sarif"));
  const json& invocation = doc["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  const json& n = invocation["toolExecutionNotifications"][0];
  EXPECT_EQ(n["level"], "error");
  EXPECT_EQ(n["associatedRule"], (json{{"id", "rel"}, {"index", 1}}));
  EXPECT_EQ(n["locations"][0]["physicalLocation"]["artifactLocation"],
            (json{{"uri", "policies/r.policy"}, {"uriBaseId", "%SRCROOT%"}}));
  EXPECT_EQ(n["locations"][0]["physicalLocation"]["region"], (json{{"startLine", 3}, {"startColumn", 5}}));
  const std::string root = doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"];
  EXPECT_EQ(root.rfind("file:///", 0), 0u) << root;
  EXPECT_EQ(root.back(), '/');
}

}  // namespace
}  // namespace reddalert
