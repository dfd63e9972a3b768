#include "sinks/formats.hpp"

#include <map>
#include <set>

#include "base/json_text.hpp"
#include "base/text.hpp"

namespace reddalert::sinks {

namespace {

using nlohmann::json;

// Policies the data could not decide, as the summary lists them.
std::vector<std::pair<std::string, std::string>> not_evaluated(const json& summary) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const json& n : summary.value("not_evaluated", json::array()))
    out.emplace_back(n.value("policy", ""), n.value("reason", ""));
  return out;
}

void write_text(const Results& r, std::ostream& out, bool color, bool show_resolved) {
  const std::vector<model::Alert>& alerts = r.alerts;
  const char* bold = color ? "\x1b[1m" : "";
  const char* red = color ? "\x1b[31m" : "";
  const char* dim = color ? "\x1b[2m" : "";
  const char* off = color ? "\x1b[0m" : "";
  std::map<std::string, std::size_t> per_policy;
  for (const auto& a : alerts) ++per_policy[a.policy];
  std::string current;
  for (const model::Alert& a : alerts) {
    if (a.policy != current) {
      if (!current.empty()) out << '\n';
      current = a.policy;
      const std::size_t n = per_policy[a.policy];
      out << bold << a.policy << off << " [" << red << a.severity << off << "] " << a.title << "  " << dim << a.file
          << ':' << a.line << off << "  (" << n << (n == 1 ? " alert" : " alerts") << ")\n";
    }
    out << "  " << bold << a.id << off << '\n';
    for (const std::string& m : a.messages) out << "    " << m << '\n';
  }
  const bool resolved = show_resolved && !r.resolved.empty();
  const auto skipped = not_evaluated(r.summary);
  if ((resolved || !skipped.empty()) && !alerts.empty()) out << '\n';
  if (resolved) {
    out << bold << "resolved" << off << "  (" << r.resolved.size() << ")\n";
    for (const model::Alert& a : r.resolved) {
      out << "  " << a.policy << "  " << bold << a.id << off << "  " << dim << "last raised "
          << base::iso8601(a.last_seen) << off << '\n';
    }
  }
  if (!skipped.empty()) {
    if (resolved) out << '\n';
    out << bold << "not evaluated" << off << "  (" << skipped.size() << ")\n";
    for (const auto& [policy, reason] : skipped) out << "  " << policy << ": " << reason << '\n';
  }
}

std::string joined(const std::vector<std::string>& messages) {
  std::string out;
  for (const std::string& m : messages) out += (out.empty() ? "" : "; ") + m;
  return out;
}

// A testsuite per policy file, a testcase per policy, a failure per alert.
// Policies not evaluated are skipped testcases of a testsuite of their own.
void write_junit(const std::vector<model::Alert>& alerts, const json& summary, std::ostream& out) {
  std::map<std::string, std::map<std::string, std::vector<const model::Alert*>>> files;
  for (const auto& a : alerts) files[a.file][a.policy].push_back(&a);
  const auto skipped = not_evaluated(summary);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"reddalert\" failures=\"" << alerts.size()
      << "\">\n";
  for (const auto& [file, policies] : files) {
    out << "  <testsuite name=\"" << base::xml_escape(file) << "\" tests=\"" << policies.size() << "\">\n";
    for (const auto& [policy, list] : policies) {
      out << "    <testcase classname=\"" << base::xml_escape(file) << "\" name=\"" << base::xml_escape(policy)
          << "\">\n";
      for (const model::Alert* a : list) {
        out << "      <failure type=\"" << base::xml_escape(a->severity) << "\" message=\"" << base::xml_escape(a->id)
            << "\">" << base::xml_escape(joined(a->messages)) << "</failure>\n";
      }
      out << "    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  if (!skipped.empty()) {
    out << "  <testsuite name=\"not evaluated\" tests=\"" << skipped.size() << "\" skipped=\"" << skipped.size()
        << "\">\n";
    for (const auto& [policy, reason] : skipped) {
      out << "    <testcase classname=\"not evaluated\" name=\"" << base::xml_escape(policy)
          << "\">\n      <skipped message=\"" << base::xml_escape(reason) << "\"/>\n    </testcase>\n";
    }
    out << "  </testsuite>\n";
  }
  out << "</testsuites>\n";
}

// The original tool's tab-separated form: one line per message.
void write_tsv(const std::vector<model::Alert>& alerts, std::ostream& out) {
  std::string text;
  const auto field = [&](const std::string& s, char end) {
    for (const char c : s) text += (c == '\t' || c == '\n') ? ' ' : c;
    text += end;
  };
  for (const auto& a : alerts) {
    for (const std::string& m : a.messages) {
      field(a.policy, '\t');
      field(a.severity, '\t');
      field(a.id, '\t');
      field(m, '\n');
    }
    if (text.size() > (std::size_t{1} << 16)) {
      out << text;
      text.clear();
    }
  }
  out << text;
}

const char* sarif_level(const std::string& severity) {
  if (severity == "critical" || severity == "high") return "error";
  if (severity == "medium") return "warning";
  return "note";
}

// A policy file's path as a SARIF artifact URI (a relative or absolute-path reference): every
// byte but the unreserved ones and '/' is percent-encoded, so a space, '#', '%' or ':' in a
// directory name stays part of the path.
std::string sarif_uri(const std::string& path) {
  std::string out;
  for (const unsigned char c : path) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~' || c == '/';
    out += unreserved ? std::string(1, static_cast<char>(c)) : "%" + base::hex_byte(c);
  }
  return out;
}

// SARIF 2.1.0: rules are policies, results are alerts located at their policy.
// Resolved events are results whose baselineState is "absent"; policies not evaluated are
// the invocation's notifications.
void write_sarif(const Results& r, std::ostream& out) {
  json rules = json::array();
  std::map<std::string, std::size_t> rule_index;
  std::vector<const model::Alert*> all;
  for (const auto& a : r.alerts) all.push_back(&a);
  for (const auto& a : r.resolved) all.push_back(&a);
  for (const model::Alert* p : all) {
    const model::Alert& a = *p;
    if (rule_index.count(a.policy)) continue;
    rule_index[a.policy] = rules.size();
    rules.push_back({{"id", a.policy},
                     {"name", a.policy},
                     {"shortDescription", {{"text", a.title}}},
                     {"defaultConfiguration", {{"level", sarif_level(a.severity)}}},
                     {"properties", {{"severity", a.severity}, {"revision", a.revision}}}});
  }
  json results = json::array();
  for (const model::Alert* p : all) {
    const model::Alert& a = *p;
    json& result = results.emplace_back();
    if (a.resolved) result["baselineState"] = "absent";
    result.update({{"ruleId", a.policy},
                   {"ruleIndex", rule_index[a.policy]},
                   {"level", sarif_level(a.severity)},
                   {"message", {{"text", a.id + ": " + joined(a.messages)}}},
                   {"locations", json::array({{{"physicalLocation",
                                                {{"artifactLocation", {{"uri", sarif_uri(a.file)}}},
                                                 {"region", {{"startLine", std::max(a.line, 1)}}}}}}})},
                   {"partialFingerprints", {{"reddalertAlert/v1", a.fingerprint}}},
                   {"properties", model::to_json(a)}});
  }
  json notifications = json::array();
  for (const auto& [policy, reason] : not_evaluated(r.summary)) {
    notifications.push_back({{"level", "warning"},
                             {"message", {{"text", "policy " + policy + " was not evaluated: " + reason}}},
                             {"descriptor", {{"id", "not-evaluated"}}},
                             {"associatedRule", {{"id", policy}}}});
  }
  const json sarif = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::array(
           {{{"tool",
              {{"driver",
                {{"name", "reddalert"}, {"informationUri", "https://github.com/prezi/reddalert"}, {"rules", rules}}}}},
             {"invocations",
              json::array({{{"executionSuccessful", true}, {"toolExecutionNotifications", notifications}}})},
             {"results", results}}})}};
  out << base::json_text(sarif, 2) << '\n';
}

}  // namespace

std::string ndjson(const std::vector<model::Alert>& alerts, const std::vector<model::Alert>& resolved) {
  std::string out;
  for (const auto* list : {&alerts, &resolved}) {
    for (const auto& a : *list) {
      model::append_json(out, a);
      out += '\n';
    }
  }
  return out;
}

json report_json(const Results& r) {
  json alerts = json::array(), resolved = json::array();
  for (const model::Alert& a : r.alerts) alerts.push_back(model::to_json(a));
  for (const model::Alert& a : r.resolved) resolved.push_back(model::to_json(a));
  return {{"alerts", std::move(alerts)}, {"resolved", std::move(resolved)}, {"summary", r.summary}};
}

void write_report(const Results& r, std::ostream& out) {
  // What json_text(report_json(r), 2) writes, an alert at a time: a large report is never
  // held whole in memory.
  std::string text;
  base::JsonWriter w(text, 2);
  w.begin_object();
  for (const auto& [key, list] : {std::pair{"alerts", &r.alerts}, std::pair{"resolved", &r.resolved}}) {
    w.key(key);
    w.begin_array();
    for (const model::Alert& a : *list) {
      model::append_json(w, a);
      if (text.size() > (std::size_t{1} << 16)) {
        out << text;
        text.clear();
      }
    }
    w.end_array();
  }
  w.key("summary");
  w.json(r.summary);
  w.end_object();
  out << text << '\n';
}

void write_format(const std::string& format, const Results& r, std::ostream& out, bool color, bool show_resolved) {
  if (format == "json") {
    write_report(r, out);
  } else if (format == "ndjson") {
    out << ndjson(r.alerts, r.resolved);
    for (const auto& [policy, reason] : not_evaluated(r.summary)) {
      out << base::json_text(json{{"policy", policy}, {"reason", reason}, {"status", "not_evaluated"}}) << '\n';
    }
  } else if (format == "sarif") {
    write_sarif(r, out);
  } else if (format == "junit") {
    write_junit(r.alerts, r.summary, out);
  } else if (format == "tsv") {
    write_tsv(r.alerts, out);
  } else {
    write_text(r, out, color, show_resolved);
  }
}

}  // namespace reddalert::sinks
