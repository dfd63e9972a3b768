#include "app/check_run.hpp"

#include <chrono>

#include "app/output.hpp"
#include "app/pipeline.hpp"
#include "edda/snapshot.hpp"

namespace reddalert::app {

int run_check(const CheckOptions& o, std::ostream& out, std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  // 1. Load and lint: errors stop the run before any data is read.
  Loaded loaded = load({o.paths, o.config_path, o.policies});
  print_diagnostics(loaded.diagnostics, "text", out, err, o.color);
  if (loaded.diagnostics.has_errors()) {
    err << "reddalert: " << loaded.diagnostics.error_count()
        << " error(s) in policies or configuration; nothing was read\n";
    return kUsage;
  }
  compile::CompileResult compiled = compile::compile(loaded.checked.program, &loaded.selected);
  if (compiled.diagnostics.has_errors()) {
    print_diagnostics(compiled.diagnostics, "text", out, err, o.color);
    return kUsage;
  }
  std::string snapshot = o.snapshot;
  if (snapshot.empty() && loaded.config && loaded.config->snapshot) snapshot = *loaded.config->snapshot;
  if (snapshot.empty()) {
    if (loaded.config && loaded.config->edda) {
      err << "reddalert: " << loaded.config->path << " names a live EDDA (`edda: " << *loaded.config->edda
          << "`), which this build cannot read yet; give --snapshot DIR\n";
    } else {
      err << "reddalert: no data source: give --snapshot DIR (a recorded snapshot) or --edda URL (a live EDDA), or "
             "set `snapshot:` or `edda:` in the configuration\n";
    }
    return kUsage;
  }
  const base::Millis lag = loaded.config && loaded.config->lag ? *loaded.config->lag : o.lag;
  const eval::Program& program = compiled.program;

  // 2. The window and the data.
  std::unique_ptr<edda::Snapshot> data;
  base::Millis since = 0, until = 0;
  try {
    const edda::Manifest manifest = edda::read_manifest(snapshot);
    until = o.until ? *o.until : manifest.captured_at ? *manifest.captured_at : base::now_millis() - lag;
    since = o.since ? *o.since : manifest.since.value_or(0);
    if (since > until) {
      err << "reddalert: the window is empty: --since " << base::iso8601(since) << " is after --until "
          << base::iso8601(until) << '\n';
      return kUsage;
    }
    std::vector<std::string> names;
    for (const auto& [name, needs] : program.collections) names.push_back(name);
    data = edda::Snapshot::open(snapshot, names, {since, until});
  } catch (const edda::SnapshotError& e) {
    err << "reddalert: snapshot: " << e.message << '\n';
    return kDataFailure;
  }

  // 3. Evaluate and merge.
  const eval::EvaluationResult result = eval::evaluate(program, *data, since, until, nullptr);
  const std::vector<model::Alert> alerts = make_alerts(result, since, until);

  // 4. Output and summary.
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  nlohmann::json summary = {{"policies", program.policies.size()},
                            {"alerts", alerts.size()},
                            {"problems", result.problems.size()},
                            {"window", {{"since", since}, {"until", until}}},
                            {"resources", data->counts()},
                            {"missing_collections", data->missing()},
                            {"seconds", seconds}};
  if (o.format == "json") {
    write_json(alerts, summary, out);
  } else {
    write_text(alerts, out, o.color);
  }
  for (const eval::Problem& p : result.problems) {
    err << "reddalert: run-time problem in policy " << p.policy << " at " << p.location.str();
    if (!p.resource.empty()) err << " (resource " << p.resource << ")";
    err << ": " << p.message;
    if (p.count > 1) err << " (" << p.count << " times)";
    err << '\n';
  }
  for (const std::string& m : data->missing()) {
    err << "reddalert: note: the snapshot has no " << m << ".json; treated as empty\n";
  }
  if (!o.quiet) {
    std::size_t resources = 0;
    std::string per;
    for (const auto& [name, n] : data->counts()) {
      resources += n;
      per += (per.empty() ? "" : ", ") + name + " " + std::to_string(n);
    }
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.3f", seconds);
    err << "reddalert: " << program.policies.size() << " policies, " << resources << " resources (" << per << "), "
        << alerts.size() << " alerts, " << result.problems.size() << " run-time problems, window "
        << base::iso8601(since) << " .. " << base::iso8601(until) << ", " << secs << "s\n";
  }
  // The documents are freed by the kernel at exit: tearing down a DOM of a million
  // documents node by node takes seconds and helps nobody.
#if !defined(__SANITIZE_ADDRESS__)
  (void)data.release();
#endif
  if (!result.problems.empty()) return kRuntimeProblems;
  return alerts.empty() ? kOk : kAlerts;
}

}  // namespace reddalert::app
