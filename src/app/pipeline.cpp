#include "app/pipeline.hpp"

#include <algorithm>
#include <map>

namespace reddalert::app {

Loaded load_policies(const std::vector<std::string>& paths, const check::ParamOverrides& overrides) {
  Loaded l;
  l.workspace = check::load(paths);
  l.diagnostics.append(l.workspace.diagnostics);
  l.checked = check::check(l.workspace, overrides);
  l.diagnostics.append(l.checked.diagnostics);
  return l;
}

void print_diagnostics(const base::Diagnostics& diags, const std::string& format, std::ostream& out, std::ostream& err,
                       bool color) {
  const auto sorted = diags.sorted();
  if (format == "json") {
    out << "{\"diagnostics\":[";
    for (std::size_t i = 0; i < sorted.size(); ++i) out << (i ? "," : "") << base::render_json_line(sorted[i]);
    out << "],\"errors\":" << diags.error_count() << ",\"warnings\":" << diags.warning_count() << "}\n";
    return;
  }
  for (const auto& d : sorted) err << base::render(d, color) << '\n';
}

std::vector<model::Alert> make_alerts(const eval::EvaluationResult& result, base::Millis since, base::Millis until) {
  std::vector<model::Alert> out;
  for (const eval::PolicyResult& pr : result.policies) {
    const eval::CompiledPolicy& p = *pr.policy;
    std::map<std::string, std::size_t> by_id;
    for (const eval::Finding& f : pr.findings) {
      auto [it, fresh] = by_id.emplace(f.alert_id, out.size());
      if (fresh) {
        model::Alert a;
        a.policy = p.name;
        a.revision = p.revision;
        a.policy_fingerprint = p.fingerprint;
        a.fingerprint = model::alert_fingerprint(p.name, f.alert_id);
        a.severity = p.severity;
        a.title = p.title;
        a.id = f.alert_id;
        a.collection = f.collection;
        a.file = p.location.path();
        a.line = static_cast<int>(p.location.line);
        a.first_seen = until;
        a.since = since;
        a.until = until;
        out.push_back(std::move(a));
      }
      model::Alert& a = out[it->second];
      if (std::find(a.messages.begin(), a.messages.end(), f.message) == a.messages.end())
        a.messages.push_back(f.message);
      if (!f.details.is_null() && std::find(a.details.begin(), a.details.end(), f.details) == a.details.end()) {
        a.details.push_back(f.details);
      }
      for (const std::string& r : f.resources) {
        if (std::find(a.resources.begin(), a.resources.end(), r) == a.resources.end()) a.resources.push_back(r);
      }
      if (a.collection.empty()) a.collection = f.collection;
    }
  }
  return out;
}

}  // namespace reddalert::app
