#include "app/diff_run.hpp"

#include <filesystem>
#include <map>

#include "app/alert_diff.hpp"
#include "app/engine.hpp"
#include "app/one_off.hpp"
#include "app/revision.hpp"
#include "base/thread_pool.hpp"

namespace reddalert::app {

namespace {

// One side evaluated: its policies and alerts as the comparison sees them.
DiffSide evaluate_side(const Engine& engine, DataSource& source, edda::Window window, const RunSettings& s,
                       base::ThreadPool& pool, const RevisionTree* tree) {
  DiffSide side;
  const compile::CompileResult compiled = engine.compile();
  if (compiled.diagnostics.has_errors()) {
    side.errors = tree ? tree->relabel(compiled.diagnostics) : compiled.diagnostics;
    return side;
  }
  Evaluation e = engine.evaluate(compiled.program, source, {window, nullptr, s.evaluation, &pool});
  std::map<std::string, std::string> not_evaluated(e.not_evaluated.begin(), e.not_evaluated.end());
  std::map<std::string, int> in_file;
  for (const eval::CompiledPolicy& p : compiled.program.policies) {
    DiffPolicy d;
    d.name = p.name;
    d.title = p.title;
    d.severity = p.severity;
    d.file = tree ? tree->shown(p.location.path()) : p.location.path();
    d.ordinal = in_file[d.file]++;
    for (const auto& [name, value] : p.params) d.params[name] = eval::json_text(value);
    if (const auto it = not_evaluated.find(p.name); it != not_evaluated.end()) d.not_evaluated = it->second;
    side.policies.push_back(std::move(d));
  }
  side.alerts = std::move(e.alerts);
  if (tree) {
    for (model::Alert& a : side.alerts) tree->relabel(a);
  }
  return side;
}

// The paths of `paths` that exist below `root` (empty: the current directory). A file new in
// the working tree is not in the revision, and a deleted one is only there: each side
// loads what it has.
std::vector<std::string> existing(const std::vector<std::string>& paths, const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const std::string& p : paths) {
    const std::filesystem::path full =
        root.empty() || p.front() == '/' ? std::filesystem::path(p) : std::filesystem::path(root) / p;
    if (std::filesystem::exists(full, ec)) out.push_back(p);
  }
  return out;
}

}  // namespace

int run_diff(const DiffOptions& o, std::ostream& out, std::ostream& err, const World& world) {
  // The configuration the working tree's run reads, at the revision too (when it has it).
  std::string config_path = o.config_path;
  std::error_code ec;
  if (config_path.empty() && std::filesystem::exists(kDefaultConfig, ec)) config_path = kDefaultConfig;
  if (config_path == kNoConfig) config_path.clear();
  try {
    const RevisionTree tree(o.base, config_path.empty() ? std::vector<std::string>{} : std::vector{config_path});
    LoadRequest request;
    request.config_path = o.config_path;
    request.waivers = false;  // diff compares what the policies find; waivers are not the policies
    request.paths = existing(o.paths, {});
    // Every path named is gone from the working tree: it has no policies (all removed).
    const bool none_now = !o.paths.empty() && request.paths.empty();
    if (none_now) request.paths = o.paths;
    const Engine after(request);
    if (!none_now && after.diagnostics().has_errors()) {
      print_diagnostics(after.diagnostics(), "text", out, err, false);
      err << "reddalert diff: the working tree's policies do not load; nothing was compared\n";
      return kUsage;
    }
    OneOffData data = open_one_off(o.data, after.config(), world);
    if (!data.error.empty()) {
      err << "reddalert: " << data.error << '\n';
      return kUsage;
    }
    const RunSettings& s = data.settings;

    LoadRequest base_request = request;
    base_request.root = tree.root();
    base_request.paths = existing(o.paths, tree.root());
    const bool none_before = !o.paths.empty() && base_request.paths.empty();
    if (config_path.empty() || !tree.has(config_path)) {
      base_request.no_config = true;
      base_request.config_path.clear();
    }
    DiffSide base_side, work_side;
    std::optional<Engine> before;
    if (!none_before) {
      before.emplace(base_request);
      base_side.errors = tree.relabel(before->diagnostics());
    }

    DataSource& source = *data.source;
    const edda::Window window = data.window;
    base::ThreadPool pool(s.jobs);
    if (before && !base_side.errors.has_errors()) base_side = evaluate_side(*before, source, window, s, pool, &tree);
    if (!none_now) work_side = evaluate_side(after, source, window, s, pool, nullptr);
    if (work_side.errors.has_errors()) {
      print_diagnostics(work_side.errors, "text", out, err, false);
      return kUsage;
    }
    if (base_side.errors.has_errors()) {
      print_diagnostics(base_side.errors, "text", out, err, false);
      err << "reddalert diff: the policies at " << o.base << " do not compile (" << base_side.errors.error_count()
          << " error(s)): every alert of the working tree is shown as added\n";
    }
    DiffResult d = compare(base_side, work_side);
    d.base = o.base;
    d.commit = tree.commit();
    if (o.format == "json") {
      write_diff_json(d, base_side.errors, out);
    } else if (o.format == "markdown") {
      write_diff_markdown(d, out, {.max_alerts = o.max_alerts});
    } else {
      write_diff_text(d, out);
    }
    return d.alerts_change() ? kAlerts : kOk;
  } catch (const RevisionError& e) {
    err << "reddalert: " << e.message << '\n';
  } catch (const SourceError& e) {
    err << "reddalert: " << e.message << '\n';
  }
  return kUsage;
}

}  // namespace reddalert::app
