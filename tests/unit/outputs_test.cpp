// Policy metadata for remediation and compliance (help_url, references, controls): the
// compiled policy, --control, the alert JSON.
#include <gtest/gtest.h>

#include "app/engine.hpp"
#include "check/metadata.hpp"
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
  r.controls = {"prowler"};
  const app::Engine engine(r);
  EXPECT_FALSE(engine.diagnostics().has_errors());
  EXPECT_EQ(engine.selected(), (std::set<std::string>{"ssh"}));

  // With --policy too, both must hold.
  r.only = {"plain"};
  EXPECT_TRUE(app::Engine(r).selected().empty());

  // A framework no loaded policy maps to is E0119, with a did-you-mean.
  app::LoadRequest typo = app::LoadRequest::of_text("m.policy", kPolicies);
  typo.controls = {"cis-aws-30"};
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

}  // namespace
}  // namespace reddalert
