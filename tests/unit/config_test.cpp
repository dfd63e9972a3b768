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

// Each diagnostic as "line:column code: message".
std::vector<std::string> summary(const base::Diagnostics& d) {
  std::vector<std::string> out;
  for (const auto& x : d.sorted()) {
    out.push_back(std::to_string(x.location.line) + ":" + std::to_string(x.location.column) + " " + x.code + ": " +
                  x.message);
  }
  return out;
}

TEST(Config, UrlsHaveTheSchemesOfTheirPeers) {
  const LoadResult r = load_text("c.yaml", R"(edda: file:///etc/passwd
webhook: {url: "gopher://127.0.0.1:70/_secret"}
email: {smtp_url: "https://mail.internal:25"}
elasticsearch: {url: "http://es.internal:9200"}
)");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(summary(r.diagnostics),
            (std::vector<std::string>{
                "1:7 E0402: `edda` must be an http:// or https:// URL: its scheme is file://; only http://, https:// "
                "are allowed",
                "2:16 E0402: `webhook.url` must be an http:// or https:// URL: its scheme is gopher://; only http://, "
                "https:// are allowed",
                "3:19 E0402: `email.smtp_url` must be an smtp:// or smtps:// URL: its scheme is https://; only "
                "smtp://, smtps:// are allowed"}));
  const LoadResult secret = load_text("c.yaml", "edda: ftp://reddalert:s3cret@edda/edda\n");
  ASSERT_EQ(secret.diagnostics.items().size(), 1U);
  EXPECT_EQ(secret.diagnostics.items()[0].message.find("s3cret"), std::string::npos);
}

TEST(Config, TheNumbersOfHttpStayInTheirRanges) {
  const LoadResult r = load_text("c.yaml", R"(http:
  retries: 2147483647
  timeout: 0s
  connect_timeout: 2d
  max_response: 0
  max_decompressed: 17179869185GiB
es_port: 70000
)");
  ASSERT_TRUE(r.config);
  EXPECT_EQ(
      summary(r.diagnostics),
      (std::vector<std::string>{"2:12 E0402: `http.retries` must be a number of retries from 0 to 10",
                                "3:12 E0402: `http.timeout` must be a duration from 1ms to 1d, such as 60s",
                                "4:20 E0402: `http.connect_timeout` must be a duration from 1ms to 1d, such as 60s",
                                "5:17 E0402: `http.max_response` must be a size of 1KiB or more, such as 2GiB",
                                "6:21 E0402: `http.max_decompressed` must be a size of 1KiB or more, such as 2GiB",
                                "7:10 E0402: `es_port` must be a port number from 1 to 65535"}));
  EXPECT_FALSE(r.config->http.retries);
  EXPECT_FALSE(r.config->http.timeout);
  const LoadResult edges = load_text(
      "c.yaml", "http: {retries: 10, timeout: 1d, connect_timeout: 1ms, max_response: 1KiB, max_decompressed: 2GiB}\n");
  ASSERT_TRUE(edges.config);
  EXPECT_TRUE(edges.diagnostics.empty()) << render_all(edges.diagnostics);
  EXPECT_EQ(edges.config->http.retries, 10);
  EXPECT_EQ(edges.config->http.timeout, 86400000);
  EXPECT_EQ(edges.config->http.connect_timeout, 1);
  EXPECT_EQ(edges.config->http.max_response, 1024U);
  EXPECT_EQ(edges.config->http.max_decompressed, std::size_t{2} << 30);
}

TEST(Config, SecretsComeFromTheEnvironment) {
  const LoadResult r = load_text("c.yaml", R"(edda: http://reddalert@edda:8080/edda
edda_password_env: RA_EDDA_PASSWORD
webhook: {url_env: RA_WEBHOOK_URL, format: slack}
)");
  ASSERT_TRUE(r.config);
  EXPECT_TRUE(r.diagnostics.empty()) << render_all(r.diagnostics);
  EXPECT_EQ(r.config->edda_password_env, "RA_EDDA_PASSWORD");
  EXPECT_EQ(r.config->webhook.url_env, "RA_WEBHOOK_URL");
  const LoadResult both = load_text("c.yaml", "webhook: {url: \"https://hooks/x\", url_env: RA_WEBHOOK_URL}\n");
  EXPECT_EQ(summary(both.diagnostics),
            (std::vector<std::string>{"1:44 E0402: `webhook.url` and `webhook.url_env` exclude each other"}));
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
