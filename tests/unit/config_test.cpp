#include <gtest/gtest.h>

#include "base/diagnostic.hpp"
#include "config/config.hpp"

namespace reddalert::config {
namespace {

std::string render_all(const base::Diagnostics& d) {
  std::string out;
  for (const auto& x : d.sorted()) out += base::render(x);
  return out;
}

TEST(Config, ReadsEveryKindOfValue) {
  const LoadResult r = load_text("c.yaml", R"(snapshot: examples/snapshot
policies: [policies/, more/]
lag: 10m
store-until: false
output: stdout,email
policies_config:
  secgroups:
    enabled: true
    params: {allowed_ports: [22, 443], whitelisted_ips: ["10.0.0.0/8"], label: "22", ratio: 0.5, on: true, none: ~}
  elbs: {enabled: false}
)");
  ASSERT_TRUE(r.config) << render_all(r.diagnostics);
  EXPECT_TRUE(r.diagnostics.empty()) << render_all(r.diagnostics);
  const Config& c = *r.config;
  EXPECT_EQ(c.snapshot, "examples/snapshot");
  EXPECT_EQ(c.policies, (std::vector<std::string>{"policies/", "more/"}));
  EXPECT_EQ(c.lag, 600000);
  EXPECT_EQ(c.store_until, false);
  EXPECT_EQ(c.output, (std::vector<std::string>{"stdout", "email"}));
  const auto& params = c.policies_config.at("secgroups").params;
  EXPECT_EQ(params.at("allowed_ports").value, nlohmann::json::parse("[22,443]"));
  EXPECT_EQ(params.at("label").value, "22");  // quoted stays a string
  EXPECT_EQ(params.at("ratio").value, 0.5);
  EXPECT_EQ(params.at("on").value, true);
  EXPECT_TRUE(params.at("none").value.is_null());
  EXPECT_EQ(params.at("allowed_ports").location.line, 9U);
  EXPECT_FALSE(c.policies_config.at("elbs").enabled);
}

TEST(Config, TheOriginalJsonConfigLoads) {
  const LoadResult r = load_text("configfile.json", R"({"edda": "http://edda:8080/edda", "output": "stdout,mail_txt",
    "es_host": "localhost", "es_port": 9200, "store-until": true,
    "plugin.secgroups": {"allowed_ports": [22], "whitelisted_ips": []}})");
  ASSERT_TRUE(r.config);
  EXPECT_TRUE(r.diagnostics.empty()) << render_all(r.diagnostics);
  EXPECT_EQ(r.config->edda, "http://edda:8080/edda");
  EXPECT_EQ(r.config->policies_config.at("secgroups").params.at("allowed_ports").value, nlohmann::json::parse("[22]"));
}

TEST(Config, UnknownKeysAndWrongTypesNameTheLine) {
  const LoadResult r = load_text(
      "c.yaml", "lag: soon\nemial: {to: x}\nhttp: {timeout: 1s, retry: 3}\npolicies_config:\n  elbs: {parms: {}}\n");
  EXPECT_EQ(render_all(r.diagnostics),
            "c.yaml:1:6: error[E0402]: `lag` must be a duration such as 5m, 30s or 1h\n"
            "   |\n 1 | lag: soon\n   |      ^\n"
            "c.yaml:2:1: error[E0401]: unknown configuration key `emial`\n"
            "   |\n 2 | emial: {to: x}\n   | ^^^^^\n  = hint: did you mean `email`?\n"
            "c.yaml:3:21: error[E0401]: unknown configuration key `http.retry`\n"
            "   |\n 3 | http: {timeout: 1s, retry: 3}\n   |                     ^^^^^\n  = hint: known keys of `http`: "
            "ca_file, connect_timeout, max_decompressed, max_response, proxy, retries, timeout\n"
            "c.yaml:5:10: error[E0401]: unknown configuration key `policies_config.elbs.parms`\n"
            "   |\n 5 |   elbs: {parms: {}}\n   |          ^^^^^\n  = hint: did you mean `params`?\n");
}

TEST(Config, BrokenYamlIsOneErrorWithItsPosition) {
  const LoadResult r = load_text("c.yaml", "policies_config:\n  elbs: {params: [1, 2}\n");
  EXPECT_FALSE(r.config);
  ASSERT_EQ(r.diagnostics.items().size(), 1U);
  EXPECT_EQ(r.diagnostics.items()[0].code, "E0400");
  EXPECT_EQ(r.diagnostics.items()[0].location.line, 2U);
}

}  // namespace
}  // namespace reddalert::config
