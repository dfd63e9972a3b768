// The standard-output formats of `check` (cli.md section 6): text grouped by policy,
// json (alerts and summary), ndjson, sarif 2.1.0, junit and tsv.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/alert.hpp"

namespace reddalert::sinks {

inline constexpr const char* kFormats[] = {"text", "json", "ndjson", "sarif", "junit", "tsv"};

// What a run reports: new alerts, resolved events, and the summary, whose `not_evaluated`
// lists the policies the data could not decide ({"policy", "reason"}).
struct Results {
  const std::vector<model::Alert>& alerts;
  const std::vector<model::Alert>& resolved;
  const nlohmann::json& summary;
};

// Writes `results` in `format` (one of kFormats). `color` applies to text only; text
// shows resolved events only with `show_resolved` (every machine format carries them).
void write_format(const std::string& format, const Results& results, std::ostream& out, bool color,
                  bool show_resolved = false);

// The same JSON document per alert everywhere (json, ndjson, Elasticsearch, webhook, file):
// one line per alert, then per resolved event.
std::string ndjson(const std::vector<model::Alert>& alerts, const std::vector<model::Alert>& resolved = {});
// {"alerts": [...], "resolved": [...], "summary": {...}}: `--format json` and the webhook's body.
nlohmann::json report_json(const Results& results);
// The same document as json_text(report_json(...), 2) writes, written an alert at a time.
void write_report(const Results& results, std::ostream& out);

}  // namespace reddalert::sinks
