#include "sinks/formats.hpp"

#include <filesystem>
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

// The selected policies, then those of alerts that the list lacks (an alert always has its
// policy's name, severity, title and place).
std::vector<PolicyInfo> policies_of(const Results& r) {
  std::vector<PolicyInfo> out = r.policies;
  std::set<std::string> known;
  for (const PolicyInfo& p : out) known.insert(p.name);
  for (const auto* list : {&r.alerts, &r.resolved}) {
    for (const model::Alert& a : *list) {
      if (!known.insert(a.policy).second) continue;
      PolicyInfo p;
      p.name = a.policy;
      p.title = a.title;
      p.severity = a.severity;
      p.help_url = a.help_url;
      p.references = a.references;
      p.controls = a.controls;
      p.file = a.file;
      p.line = a.line;
      p.revision = a.revision;
      out.push_back(std::move(p));
    }
  }
  return out;
}

std::string problem_text(const Problem& p) {
  std::string out = p.file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
  if (!p.resource.empty()) out += " (resource " + p.resource + ")";
  out += ": " + p.message;
  if (p.count > 1) out += " (" + std::to_string(p.count) + " times)";
  return out;
}

std::string count_of(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// A testsuite per policy file, a testcase per selected policy: passing, or one `failure`
// listing its new alerts, or one `error` listing its run-time problems (and its alerts),
// or `skipped` when the source could not decide it. Counts on every testsuite and on
// testsuites.
void write_junit(const Results& r, std::ostream& out) {
  struct Case {
    const PolicyInfo* policy = nullptr;
    std::vector<const model::Alert*> alerts;
    std::vector<const Problem*> problems;
    std::string skipped;  // the reason it was not evaluated
    bool is_skipped = false;
  };
  struct Counts {
    std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
    void add(const Case& c) {
      ++tests;
      if (c.is_skipped)
        ++skipped;
      else if (!c.problems.empty())
        ++errors;
      else if (!c.alerts.empty())
        ++failures;
    }
  };
  const std::vector<PolicyInfo> policies = policies_of(r);
  std::map<std::string, std::map<std::string, Case>> files;  // file -> policy -> case
  std::map<std::string, std::string> file_of;
  for (const PolicyInfo& p : policies) {
    files[p.file][p.name].policy = &p;
    file_of[p.name] = p.file;
  }
  for (const auto& a : r.alerts) files[file_of[a.policy]][a.policy].alerts.push_back(&a);
  for (const auto& p : r.problems) {
    if (file_of.count(p.policy)) files[file_of[p.policy]][p.policy].problems.push_back(&p);
  }
  for (const auto& [policy, reason] : not_evaluated(r.summary)) {
    if (!file_of.count(policy)) continue;
    Case& c = files[file_of[policy]][policy];
    c.is_skipped = true;
    c.skipped = reason;
  }
  const auto attributes = [](const Counts& n) {
    return "tests=\"" + std::to_string(n.tests) + "\" failures=\"" + std::to_string(n.failures) + "\" errors=\"" +
           std::to_string(n.errors) + "\" skipped=\"" + std::to_string(n.skipped) + "\"";
  };
  const auto alert_lines = [](const std::vector<const model::Alert*>& alerts) {
    std::string text;
    for (const model::Alert* a : alerts) text += a->id + ": " + joined(a->messages) + "\n";
    return text;
  };
  Counts all;
  std::string body;
  for (const auto& [file, cases] : files) {
    Counts n;
    std::string suite;
    for (const auto& [name, c] : cases) {
      n.add(c);
      suite += "    <testcase classname=\"" + base::xml_escape(file) + "\" name=\"" + base::xml_escape(name) + "\"";
      if (c.is_skipped) {
        suite += ">\n      <skipped message=\"" + base::xml_escape(c.skipped) + "\"/>\n    </testcase>\n";
      } else if (!c.problems.empty()) {
        std::string text;
        for (const Problem* p : c.problems) text += problem_text(*p) + "\n";
        if (!c.alerts.empty()) text += "alerts raised:\n" + alert_lines(c.alerts);
        suite += ">\n      <error type=\"run-time problem\" message=\"" +
                 count_of(c.problems.size(), "run-time problem", "run-time problems") + "\">" + base::xml_escape(text) +
                 "</error>\n    </testcase>\n";
      } else if (!c.alerts.empty()) {
        suite += ">\n      <failure type=\"" + base::xml_escape(c.policy ? c.policy->severity : "") + "\" message=\"" +
                 count_of(c.alerts.size(), "alert", "alerts") + "\">" + base::xml_escape(alert_lines(c.alerts)) +
                 "</failure>\n    </testcase>\n";
      } else {
        suite += "/>\n";
      }
    }
    all.tests += n.tests;
    all.failures += n.failures;
    all.errors += n.errors;
    all.skipped += n.skipped;
    body +=
        "  <testsuite name=\"" + base::xml_escape(file) + "\" " + attributes(n) + ">\n" + suite + "  </testsuite>\n";
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"reddalert\" " << attributes(all) << ">\n"
      << body << "</testsuites>\n";
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

// The `help` text of a policy's rule: its description, then where to read more and the
// controls it maps to.
std::string sarif_help(const PolicyInfo& p) {
  std::string help = p.description.empty() ? p.title : p.description;
  std::string more;
  if (!p.help_url.empty()) more += "\nHelp: " + p.help_url;
  if (!p.references.empty()) more += "\nReferences: " + base::join(p.references, ", ");
  if (!p.controls.empty()) {
    std::string controls;
    for (const auto& [framework, ids] : p.controls)
      controls += (controls.empty() ? "" : "; ") + framework + " " + base::join(ids, ", ");
    more += "\nControls: " + controls;
  }
  return more.empty() ? help : help + "\n" + more;
}

json sarif_rule(const PolicyInfo& p) {
  json tags = json::array({"security"});  // what GitHub needs to rank by security-severity
  for (const std::string& t : p.tags) {
    if (t != "security") tags.push_back(t);
  }
  json properties = {{"severity", p.severity},
                     {"revision", p.revision},
                     {"security-severity", security_severity(p.severity)},
                     {"tags", std::move(tags)}};
  if (!p.references.empty()) properties["references"] = p.references;
  if (!p.controls.empty()) properties["controls"] = p.controls;
  json rule = {{"id", p.name},
               {"name", p.name},
               {"shortDescription", {{"text", p.title}}},
               {"fullDescription", {{"text", p.description.empty() ? p.title : p.description}}},
               {"help", {{"text", sarif_help(p)}}},
               {"defaultConfiguration", {{"level", sarif_level(p.severity)}}},
               {"properties", std::move(properties)}};
  if (!p.help_url.empty()) rule["helpUri"] = p.help_url;
  return rule;
}

// What every SARIF log of reddalert shares: artifact locations (an absolute path is a
// file:// URI; a relative one is relative to %SRCROOT%, the directory reddalert ran in), the
// driver, and the envelope.
class SarifLog {
 public:
  json artifact(const std::string& path) {
    json location = {{"uri", sarif_uri(path)}};
    if (path.empty() || path[0] != '/') {
      location["uriBaseId"] = "%SRCROOT%";
      relative_ = true;
    }
    return location;
  }
  // A location at `line` (at least 1), with the columns that are known (> 0).
  json located(const std::string& path, int line, int column, int end_column = 0) {
    json region = {{"startLine", std::max(line, 1)}};
    if (column > 0) region["startColumn"] = column;
    if (column > 0 && end_column > column) region.update({{"endLine", std::max(line, 1)}, {"endColumn", end_column}});
    return json{{"physicalLocation", {{"artifactLocation", artifact(path)}, {"region", std::move(region)}}}};
  }
  void write(json rules, json invocation, json results, std::ostream& out) const {
    json run = {{"tool",
                 {{"driver",
                   {{"name", "reddalert"},
                    {"version", REDDALERT_VERSION},
                    {"informationUri", "https://github.com/prezi/reddalert"},
                    {"rules", std::move(rules)}}}}},
                {"invocations", json::array({std::move(invocation)})},
                {"results", std::move(results)}};
    if (relative_) {
      std::error_code error;
      std::string cwd = std::filesystem::current_path(error).string();
      if (!cwd.empty() && cwd.back() != '/') cwd += '/';
      run["originalUriBaseIds"] = {
          {"%SRCROOT%", error || cwd.empty() || cwd[0] != '/'
                            ? json{{"description", {{"text", "the directory reddalert ran in"}}}}
                            : json{{"uri", sarif_uri(cwd)}}}};
    }
    const json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                        {"version", "2.1.0"},
                        {"runs", json::array({std::move(run)})}};
    out << base::json_text(sarif, 2) << '\n';
  }

 private:
  bool relative_ = false;
};

// SARIF 2.1.0: rules are the selected policies, results are alerts located at their policy.
// Resolved events are results whose baselineState is "absent"; run-time problems and
// policies not evaluated are the invocation's notifications, and either makes the
// execution unsuccessful (its results are incomplete: exit codes 5 and 6).
void write_sarif(const Results& r, std::ostream& out) {
  const std::vector<PolicyInfo> policies = policies_of(r);
  SarifLog log;
  json rules = json::array();
  std::map<std::string, std::size_t> rule_index;
  for (const PolicyInfo& p : policies) {
    rule_index[p.name] = rules.size();
    rules.push_back(sarif_rule(p));
  }
  const auto rule_ref = [&](const std::string& policy) {
    json ref = {{"id", policy}};
    if (const auto it = rule_index.find(policy); it != rule_index.end()) ref["index"] = it->second;
    return ref;
  };
  json results = json::array();
  for (const auto* list : {&r.alerts, &r.resolved}) {
    for (const model::Alert& a : *list) {
      json& result = results.emplace_back();
      if (a.resolved) result["baselineState"] = "absent";
      result.update({{"ruleId", a.policy},
                     {"ruleIndex", rule_index[a.policy]},
                     {"level", sarif_level(a.severity)},
                     {"message", {{"text", a.id + ": " + joined(a.messages)}}},
                     {"locations", json::array({log.located(a.file, a.line, 0)})},
                     {"partialFingerprints", {{"reddalertAlert/v1", a.fingerprint}}},
                     {"properties", model::to_json(a)}});
    }
  }
  json notifications = json::array();
  for (const Problem& p : r.problems) {
    json properties = {{"count", p.count}};
    if (!p.resource.empty()) properties["resource"] = p.resource;
    notifications.push_back(
        {{"level", "error"},
         {"message", {{"text", "run-time problem in policy " + p.policy + " at " + problem_text(p)}}},
         {"descriptor", {{"id", "run-time-problem"}}},
         {"associatedRule", rule_ref(p.policy)},
         {"locations", json::array({log.located(p.file, p.line, p.column)})},
         {"properties", std::move(properties)}});
  }
  const auto skipped = not_evaluated(r.summary);
  for (const auto& [policy, reason] : skipped) {
    notifications.push_back({{"level", "error"},
                             {"message", {{"text", "policy " + policy + " was not evaluated: " + reason}}},
                             {"descriptor", {{"id", "not-evaluated"}}},
                             {"associatedRule", rule_ref(policy)}});
  }
  log.write(std::move(rules),
            {{"executionSuccessful", r.problems.empty() && skipped.empty()},
             {"toolExecutionNotifications", std::move(notifications)}},
            std::move(results), out);
}

// Lint's diagnostics as SARIF: a rule per code that occurs, a result per diagnostic at its
// span, its notes as related locations.
void write_diagnostics_sarif(const std::vector<base::Diagnostic>& diags, std::ostream& out, bool stopped) {
  SarifLog log;
  json rules = json::array(), results = json::array();
  std::map<std::string, std::size_t> rule_index;
  for (const base::Diagnostic& d : diags) {
    if (rule_index.emplace(d.code, rules.size()).second) {
      rules.push_back({{"id", d.code},
                       {"shortDescription",
                        {{"text", "reddalert diagnostic " + d.code +
                                      " (docs/language.md, section 14, and docs/cli.md, \"Diagnostic codes outside "
                                      "the language\", describe every code)"}}}});
    }
    const auto located = [&](const base::Location& l) {
      return log.located(l.path(), static_cast<int>(l.line), static_cast<int>(l.column),
                         static_cast<int>(l.end_column()));
    };
    json result = {{"ruleId", d.code},
                   {"ruleIndex", rule_index[d.code]},
                   {"level", base::severity_name(d.severity)},
                   {"message", {{"text", d.hint.empty() ? d.message : d.message + "\nhint: " + d.hint}}}};
    if (d.location.file) result["locations"] = json::array({located(d.location)});
    json related = json::array();
    for (const base::Note& n : d.notes) {
      if (!n.location.file) continue;
      json place = located(n.location);
      place["id"] = related.size();
      place["message"] = {{"text", n.message}};
      related.push_back(std::move(place));
    }
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    results.push_back(std::move(result));
  }
  json notifications = json::array();
  if (stopped) {
    notifications.push_back({{"level", "error"},
                             {"message",
                              {{"text",
                                "errors in the policies, the configuration or the command line stopped the run "
                                "before any data was read"}}},
                             {"descriptor", {{"id", "lint-failed"}}}});
  }
  log.write(std::move(rules),
            {{"executionSuccessful", !stopped}, {"toolExecutionNotifications", std::move(notifications)}},
            std::move(results), out);
}

// Lint's diagnostics as JUnit: a testsuite per file, a testcase per diagnostic; an error is
// a failure, a warning a passing testcase with its text as output.
void write_diagnostics_junit(const std::vector<base::Diagnostic>& diags, std::ostream& out) {
  std::map<std::string, std::vector<const base::Diagnostic*>> files;
  for (const base::Diagnostic& d : diags) files[d.location.path()].push_back(&d);
  const auto attributes = [](std::size_t tests, std::size_t failures) {
    return "tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) +
           "\" errors=\"0\" skipped=\"0\"";
  };
  std::size_t failures = 0;
  std::string body;
  for (const auto& [file, list] : files) {
    std::size_t failed = 0;
    std::string suite;
    for (const base::Diagnostic* d : list) {
      const std::string name = d->code + (d->location.known() ? " at " + std::to_string(d->location.line) + ":" +
                                                                    std::to_string(d->location.column)
                                                              : std::string());
      const std::string text = base::xml_escape(base::render(*d));
      suite += "    <testcase classname=\"" + base::xml_escape(file) + "\" name=\"" + base::xml_escape(name) + "\">\n";
      if (d->severity == base::Severity::Error) {
        ++failed;
        suite += "      <failure type=\"" + base::xml_escape(d->code) + "\" message=\"" + base::xml_escape(d->message) +
                 "\">" + text + "</failure>\n";
      } else {
        suite += "      <system-out>" + text + "</system-out>\n";
      }
      suite += "    </testcase>\n";
    }
    failures += failed;
    body += "  <testsuite name=\"" + base::xml_escape(file) + "\" " + attributes(list.size(), failed) + ">\n" + suite +
            "  </testsuite>\n";
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"reddalert lint\" "
      << attributes(diags.size(), failures) << ">\n"
      << body << "</testsuites>\n";
}

}  // namespace

void write_diagnostics(const std::string& format, const std::vector<base::Diagnostic>& diags, std::ostream& out,
                       bool stopped) {
  if (format == "junit") {
    write_diagnostics_junit(diags, out);
  } else {
    write_diagnostics_sarif(diags, out, stopped);
  }
}

const char* security_severity(const std::string& severity) {
  if (severity == "critical") return "9.5";
  if (severity == "high") return "8.0";
  if (severity == "medium") return "5.5";
  if (severity == "low") return "3.0";
  return "0.0";
}

std::string sarif_uri(const std::string& path) {
  // A relative or absolute-path reference, so a space, '#', '%' or ':' in a directory
  // name stays part of the path.
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (const unsigned char c : path) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~' || c == '/';
    out += unreserved ? std::string(1, static_cast<char>(c)) : "%" + base::hex_byte(c);
  }
  return out;
}

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
  // An alert at a time: a large report is never held whole in memory. Keys in name order,
  // as json_text writes an object.
  std::string text;
  base::JsonWriter w(text, 2);
  const auto alerts = [&](const char* key, const std::vector<model::Alert>& list) {
    w.key(key);
    w.begin_array();
    for (const model::Alert& a : list) {
      model::append_json(w, a);
      if (text.size() > (std::size_t{1} << 16)) {
        out << text;
        text.clear();
      }
    }
    w.end_array();
  };
  w.begin_object();
  alerts("alerts", r.alerts);
  w.key("format");
  w.value(kReportFormat);
  w.key("problems");
  w.begin_array();
  for (const Problem& p : r.problems) {
    w.json({{"column", p.column},
            {"count", p.count},
            {"file", p.file},
            {"line", p.line},
            {"message", p.message},
            {"policy", p.policy},
            {"resource", p.resource.empty() ? json(nullptr) : json(p.resource)}});
  }
  w.end_array();
  alerts("resolved", r.resolved);
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
    write_junit(r, out);
  } else if (format == "tsv") {
    write_tsv(r.alerts, out);
  } else {
    write_text(r, out, color, show_resolved);
  }
}

}  // namespace reddalert::sinks
