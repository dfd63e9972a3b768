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

// Writes `alerts` in `format` (one of kFormats). `color` applies to text only.
void write_format(const std::string& format, const std::vector<model::Alert>& alerts, const nlohmann::json& summary,
                  std::ostream& out, bool color);

// The same JSON document per alert everywhere (json, ndjson, Elasticsearch, webhook, file).
std::string ndjson(const std::vector<model::Alert>& alerts);
// {"alerts": [...], "summary": {...}}: `--format json` and the webhook's body.
nlohmann::json report_json(const std::vector<model::Alert>& alerts, const nlohmann::json& summary);
// The same document as json_text(report_json(...), 2) writes, written an alert at a time.
void write_report(const std::vector<model::Alert>& alerts, const nlohmann::json& summary, std::ostream& out);

}  // namespace reddalert::sinks
