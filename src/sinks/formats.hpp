// The standard-output formats of `check` (cli.md section 6): text grouped by policy,
// json (alerts and summary), ndjson, sarif 2.1.0, junit and tsv.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/diagnostic.hpp"
#include "model/alert.hpp"

namespace reddalert::sinks {

inline constexpr const char* kFormats[] = {"text", "json", "ndjson", "sarif", "junit", "tsv"};

// A policy the run selected, as the SARIF rules and the JUnit testcases show it (those it
// could not evaluate too: the summary's `not_evaluated` names them).
struct PolicyInfo {
  std::string name;
  std::string title;
  std::string severity;
  std::string description;
  std::vector<std::string> tags;
  std::string help_url;  // empty: none
  std::vector<std::string> references;
  std::map<std::string, std::vector<std::string>> controls;
  std::string file;
  int line = 0;
  int revision = 1;
};

// A run-time problem of a policy (language.md section 15), reported once per place.
struct Problem {
  std::string policy;
  std::string file;
  int line = 0;
  int column = 0;
  std::string resource;  // the id of the resource being evaluated; empty: none
  std::string message;
  std::size_t count = 1;
};

// What a run reports: new alerts, resolved events, and the summary, whose `not_evaluated`
// lists the policies the data could not decide ({"policy", "reason"}); the policies it
// selected, in load order, and its run-time problems.
struct Results {
  const std::vector<model::Alert>& alerts;
  const std::vector<model::Alert>& resolved;
  const nlohmann::json& summary;
  const std::vector<PolicyInfo>& policies;
  const std::vector<Problem>& problems;
};

// The format key of `--format json` (cli.md, "Output"): its version changes only when a
// key is removed or changes meaning.
inline constexpr const char* kReportFormat = "reddalert-report/1";
// GitHub code scanning's `security-severity` of a policy severity (cli.md, "Outputs").
const char* security_severity(const std::string& severity);
// A path as a SARIF artifact URI: percent-encoded (every byte but the unreserved ones and
// '/'), with `file://` before an absolute path.
std::string sarif_uri(const std::string& path);

// Writes `results` in `format` (one of kFormats). `color` applies to text only; text
// shows resolved events only with `show_resolved` (every machine format carries them).
void write_format(const std::string& format, const Results& results, std::ostream& out, bool color,
                  bool show_resolved = false);

// Lint's diagnostics (sorted) as a SARIF 2.1.0 log or a JUnit report (`format` "sarif" or
// "junit"): for `lint --format`, and for `check --format sarif|junit` when lint stops the
// run (`stopped`: SARIF then says the run was not successful), so CI always gets a file.
void write_diagnostics(const std::string& format, const std::vector<base::Diagnostic>& diags, std::ostream& out,
                       bool stopped = false);

// The same JSON document per alert everywhere (json, ndjson, Elasticsearch, webhook, file):
// one line per alert, then per resolved event.
std::string ndjson(const std::vector<model::Alert>& alerts, const std::vector<model::Alert>& resolved = {});
// {"alerts": [...], "resolved": [...], "summary": {...}}: the webhook's body.
nlohmann::json report_json(const Results& results);
// `--format json`: {"alerts", "format", "problems", "resolved", "summary"}, indented by 2
// as json_text writes it, an alert at a time.
void write_report(const Results& results, std::ostream& out);

}  // namespace reddalert::sinks
