#include "app/check_run.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <unordered_map>

#include "app/compliance.hpp"
#include "app/engine.hpp"
#include "app/memory.hpp"
#include "app/settings.hpp"
#include "base/text.hpp"
#include "base/thread_pool.hpp"
#include "check/uses.hpp"
#include "sinks/formats.hpp"

namespace reddalert::app {

std::unique_ptr<DataSource> World::real_source(const RunSettings& s, net::HttpClient& http,
                                               std::function<void(std::size_t, std::size_t)> progress) {
  if (!s.snapshot.empty()) return snapshot_source(s.snapshot);
  return edda_source(s.edda, http, s.edda_password_env, std::move(progress));
}

namespace {

using Log = std::function<void(const std::string&)>;

// One group of policies that share a window start, evaluated on data read for it.
struct Group {
  base::Millis since = 0;
  std::set<std::string> policies;
  compile::CompileResult compiled;
};

// Sends each output the alerts it has yet to take (`pending`, this run's included), one
// output at a time, committing after each so that what one took is never sent to it again.
// False when an output failed (its message is on `err`); its alerts stay pending.
bool deliver(const std::vector<std::unique_ptr<sinks::Sink>>& sinks, state::State& memory,
             const nlohmann::json& summary, base::Millis since, base::Millis until, const std::function<bool()>& commit,
             std::ostream& err, const Log& log) {
  bool delivered = true;
  for (const auto& sink : sinks) {
    const auto it = memory.pending.find(sink->name());
    if (it == memory.pending.end() || it->second.empty()) continue;
    std::vector<model::Alert> alerts, resolved;
    for (const model::Alert& a : it->second) (a.resolved ? resolved : alerts).push_back(a);
    try {
      sink->send({alerts, resolved, summary, since, until});
    } catch (const sinks::SinkError& e) {
      err << "reddalert: " << e.message << '\n';
      log(std::to_string(it->second.size()) + " alert(s) wait for " + sink->name() + " in the status file");
      delivered = false;
      continue;
    }
    memory.pending.erase(it);
    if (!commit()) return false;
  }
  return delivered;
}

// `-v`: which configuration was read, and each param it sets.
void log_configuration(const std::optional<config::Config>& config, const std::string& requested, const Log& log) {
  if (!config) {
    log(requested == kNoConfig ? std::string("no configuration (-c /dev/null)")
                               : std::string("no configuration: ") + kDefaultConfig + " does not exist");
    return;
  }
  log("configuration " + config->path);
  for (const auto& [policy, pc] : config->policies_config) {
    for (const auto& [name, pv] : pc.params)
      log("param " + policy + "." + name + " = " + pv.value.dump() + " (" + pv.location.str() + ")");
    if (!pc.enabled) log("policy " + policy + " disabled (" + pc.location.str() + ")");
  }
}

// One `check` run, stage by stage. Each stage returns an exit code when the run ends there.
class CheckRun {
 public:
  CheckRun(const CheckOptions& o, const World& world, std::ostream& out, std::ostream& err)
      : o_(o), world_(world), out_(out), err_(err), log_([this](const std::string& line) {
          if (o_.verbose) err_ << "reddalert: " << line << '\n';
        }) {}

  int run() {
    for (auto stage : {&CheckRun::lint, &CheckRun::settle, &CheckRun::remember, &CheckRun::plan, &CheckRun::evaluate,
                       &CheckRun::commit_before_delivery}) {
      if (const std::optional<int> exit = (this->*stage)()) return *exit;
    }
    report();
    return deliver_and_exit();
  }

 private:
  using Stage = std::optional<int>;

  // Diagnostics found before any data is read (lint's, the outputs' settings) on standard
  // error. When they stop the run and standard output is a file a CI step uploads (sarif,
  // junit), it carries them, rather than being empty.
  void print_lint(const base::Diagnostics& diags) {
    print_diagnostics(diags, "text", out_, err_, o_.color);
    if (diags.has_errors() && (o_.format == "sarif" || o_.format == "junit"))
      sinks::write_diagnostics(o_.format, diags.sorted(), out_, true);
  }

  // 1. Load and lint: errors stop the run before any data is read.
  Stage lint() {
    LoadRequest request;
    request.paths = o_.paths;
    request.config_path = o_.config_path;
    request.selection = o_.selection;
    request.waivers = o_.waivers;
    request.now = now_;
    engine_.emplace(request);
    if (!o_.fail_on.empty()) check_severity_option("--fail-on", o_.fail_on, engine_->diagnostics());
    print_lint(engine_->diagnostics());
    if (engine_->diagnostics().has_errors()) {
      err_ << "reddalert: " << engine_->diagnostics().error_count()
           << " error(s) in policies or configuration; nothing was read\n";
      return kUsage;
    }
    log_configuration(engine_->config(), o_.config_path, log_);
    return {};
  }

  // 2. The settings, the outputs (checked before any data is read) and the source.
  Stage settle() {
    SettingsResult resolved = resolve_settings(o_, engine_->config(), base::ThreadPool::default_threads());
    if (!resolved.error.empty()) {
      err_ << "reddalert: " << resolved.error << '\n';
      return kUsage;
    }
    s_ = std::move(resolved.settings);
    http_ = world_.http(s_.http);
    base::Diagnostics problems;
    sinks_ = world_.sinks(s_.outputs, s_.sinks, *http_, problems);
    if (problems.has_errors()) {
      print_lint(problems);
      return kUsage;
    }
    const bool progress = o_.progress && !o_.quiet;
    source_ = world_.source(s_, *http_, [this, progress](std::size_t done, std::size_t total) {
      if (progress) {
        err_ << "\rreddalert: fetched " << done << "/" << total << " EDDA queries" << (done == total ? "\n" : "")
             << std::flush;
      }
    });
    return {};
  }

  // 3. The memory: locked for the whole run (the kernel releases the lock if this process
  // dies), read before any data, committed before anything is sent.
  Stage remember() {
    if (s_.state_path.empty()) return {};
    try {
      store_ = world_.store(s_.state_path);
      memory_ = store_->load();
    } catch (const state::LockBusy& busy) {
      err_ << "reddalert: another run" << (busy.pid ? " (pid " + std::to_string(busy.pid) + ")" : std::string())
           << " holds the lock " << busy.path << "; this run did nothing\n";
      return kLocked;
    } catch (const state::StateError& e) {
      err_ << "reddalert: " << e.message << '\n';
      return kDataFailure;
    }
    return {};
  }

  // 4. The windows: one end for every policy, a start per policy (policy_windows()), and
  // the policies of each start compiled together.
  Stage plan() {
    edda::Manifest manifest;
    try {
      manifest = source_->manifest();
    } catch (const SourceError& e) {
      err_ << "reddalert: " << e.message << '\n';
      return kDataFailure;
    }
    until_ = o_.until ? *o_.until : manifest.captured_at ? *manifest.captured_at : now_ - s_.lag;
    for (auto& [since, names] : policy_windows(engine_->selected(), memory_, o_.since, manifest.since.value_or(0))) {
      if (since > until_) {
        err_ << "reddalert: the window is empty: it would start at " << base::iso8601(since)
             << (o_.since ? " (--since)" : " (the status file: the last run of " + *names.begin() + " ended there)")
             << ", after its end " << base::iso8601(until_) << '\n';
        return kUsage;
      }
      groups_.push_back({since, std::move(names), {}});
    }
    for (Group& g : groups_) {
      g.compiled = engine_->compile(&g.policies);
      if (g.compiled.diagnostics.has_errors()) {
        print_lint(g.compiled.diagnostics);
        return kUsage;
      }
    }
    if (memory_.migrated) {
      // The original stored first-seen times; counted as last-asked times they would fall
      // to retention at once.
      for (auto& [policy, ps] : memory_.policies) {
        for (auto& [key, ms] : ps.first_seen) ms = std::max(ms, until_);
      }
    }
    return {};
  }

  // 5. Per group: read what its policies use, evaluate those whose collections the source
  // has, merge findings into alerts. Policies reading a collection the source lacks are not
  // evaluated (absence is no evidence of compliance). Then classify against memory and
  // waivers: new, repeated, waived; and what resolved.
  Stage evaluate() {
    base::ThreadPool pool(s_.jobs);
    for (const auto& [policy, ps] : memory_.policies) {
      for (const auto& [key, ms] : ps.first_seen) seen_.earlier[policy].insert(key);
    }
    std::vector<model::Alert> raised;
    ClassifyInput classify_input;
    for (const Group& g : groups_) {
      log_("window " + base::iso8601(g.since) + " .. " + base::iso8601(until_) + " for " +
           base::join({g.policies.begin(), g.policies.end()}, ", ") + ", data from " + source_->describe() +
           (store_ ? ", status file " + store_->describe() : ", no status file"));
      Evaluation e;
      try {
        e = engine_->evaluate(g.compiled.program, *source_, {{g.since, until_}, &seen_, s_.evaluation, &pool});
      } catch (const SourceError& error) {
        err_ << "reddalert: " << error.message << '\n';
        return kDataFailure;
      }
      empty_collections_.insert(e.read.empty.begin(), e.read.empty.end());
      for (const auto& [name, n] : e.read.data->counts()) resources_[name] = std::max(resources_[name], n);
      std::set<std::string> skipped;
      for (const auto& [policy, reason] : e.not_evaluated) skipped.insert(policy);
      not_evaluated_.insert(not_evaluated_.end(), e.not_evaluated.begin(), e.not_evaluated.end());
      unprovided_.insert(e.unprovided.begin(), e.unprovided.end());
      for (const ast::Policy* p : engine_->program().policies) {
        if (!g.policies.count(p->name) || skipped.count(p->name)) continue;
        evaluated_.insert(p->name);
        if (check::uses_of(engine_->program(), *p).condition()) {
          for (const eval::CompiledPolicy& cp : g.compiled.program.policies) {
            if (cp.name == p->name) classify_input.resolving[p->name] = {&cp, g.since};
          }
        }
      }
      if (raised.empty()) {
        raised = std::move(e.alerts);  // the usual run: one group
      } else {
        raised.insert(raised.end(), std::make_move_iterator(e.alerts.begin()), std::make_move_iterator(e.alerts.end()));
      }
      problems_.insert(problems_.end(), e.result.problems.begin(), e.result.problems.end());
    }
    // Raised in the policies' load order, whatever group evaluated them (one group's alerts
    // are in that order already).
    if (groups_.size() > 1) raised = in_load_order(std::move(raised));
    policy_infos_ = policy_infos();
    for (const eval::Problem& p : problems_) {
      problem_infos_.push_back({.policy = p.policy,
                                .file = p.location.path(),
                                .line = static_cast<int>(p.location.line),
                                .column = static_cast<int>(p.location.column),
                                .resource = p.resource,
                                .message = p.message,
                                .count = p.count});
    }

    // What the compliance view counts: every alert found, repeated ones too, waived ones not
    // (classify counts only what it reports).
    if (compliance_view()) {
      for (const model::Alert& a : raised) {
        if (!(o_.waivers && find_waiver(engine_->waivers(), a, now_)))
          found_[a.policy].push_back(finding_checks(a.details));
      }
    }
    classify_input.state = store_ ? &memory_ : nullptr;
    classify_input.waivers = o_.waivers ? &engine_->waivers() : nullptr;
    classify_input.now = now_;
    classify_input.until = until_;
    classify_input.all = o_.all;
    classify_input.learn = o_.learn;
    classified_ = classify(std::move(raised), classify_input);
    for (const std::string& line : classified_.log) {
      if (o_.all || line.rfind("repeated:", 0) != 0) log_(line);
    }
    summary_ = make_summary();
    return {};
  }

  bool compliance_view() const { return o_.format == "compliance" || o_.format == "compliance-json"; }

  // --format compliance: the frameworks of --control (else every one) control by control.
  void write_compliance() {
    std::map<std::string, PolicyOutcome> outcomes;
    for (const Group& g : groups_) {
      for (const eval::CompiledPolicy& cp : g.compiled.program.policies) {
        PolicyOutcome& o = outcomes[cp.name];
        o.controls = cp.controls;
        if (const auto it = found_.find(cp.name); it != found_.end()) {
          o.alerts = it->second.size();
          o.checks = it->second;
        }
      }
    }
    for (const auto& [policy, reason] : not_evaluated_) outcomes[policy].not_evaluated = reason;
    const auto report = compliance(config::builtin_catalog(), o_.selection.controls, outcomes);
    if (o_.format == "compliance-json") {
      out_ << compliance_json(report).dump(2) << '\n';
    } else {
      write_compliance_text(report, out_);
    }
  }

  // `alerts` ordered by their policy's place in the load order, stable within a policy.
  std::vector<model::Alert> in_load_order(std::vector<model::Alert> alerts) const {
    std::unordered_map<std::string_view, std::size_t> rank;
    for (const ast::Policy* p : engine_->program().policies) rank.emplace(p->name, rank.size());
    std::vector<std::pair<std::size_t, std::size_t>> order;  // rank, index
    order.reserve(alerts.size());
    for (std::size_t i = 0; i < alerts.size(); ++i) order.emplace_back(rank.at(alerts[i].policy), i);
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<model::Alert> out;
    out.reserve(alerts.size());
    for (const auto& [r, i] : order) out.push_back(std::move(alerts[i]));
    return out;
  }

  // The selected policies as the formats show them, in load order.
  std::vector<sinks::PolicyInfo> policy_infos() const {
    std::unordered_map<std::string_view, std::size_t> rank;
    for (const ast::Policy* p : engine_->program().policies) rank.emplace(p->name, rank.size());
    std::vector<sinks::PolicyInfo> out;
    for (const Group& g : groups_) {
      for (const eval::CompiledPolicy& cp : g.compiled.program.policies) {
        out.push_back({.name = cp.name,
                       .title = cp.title,
                       .severity = cp.severity,
                       .description = cp.description,
                       .tags = cp.tags,
                       .help_url = cp.help_url,
                       .references = cp.references,
                       .controls = cp.controls,
                       .file = cp.location.path(),
                       .line = static_cast<int>(cp.location.line),
                       .revision = cp.revision});
      }
    }
    std::sort(out.begin(), out.end(), [&](const sinks::PolicyInfo& a, const sinks::PolicyInfo& b) {
      return rank.at(a.name) < rank.at(b.name);
    });
    return out;
  }

  nlohmann::json make_summary() const {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    nlohmann::json skipped = nlohmann::json::array();
    for (const auto& [policy, reason] : not_evaluated_) skipped.push_back({{"policy", policy}, {"reason", reason}});
    return {{"policies", engine_->selected().size()},
            {"alerts", classified_.report.size()},
            {"resolved", classified_.resolved.size()},
            {"not_evaluated", skipped},
            {"problems", problems_.size()},
            {"repeated", classified_.repeated},
            {"waived", classified_.waived},
            {"window", {{"since", earliest()}, {"until", until_}}},
            {"resources", resources_},
            {"empty_collections", empty_collections_},
            {"seconds", seconds}};
  }

  base::Millis earliest() const { return groups_.empty() ? until_ : groups_.front().since; }
  bool deliver_now() const { return !o_.dry_run && !o_.learn; }

  bool commit() {
    try {
      store_->commit(memory_);
      return true;
    } catch (const state::StateError& e) {
      err_ << "reddalert: " << e.message << '\n';
      return false;
    }
  }

  // 6. The new memory, written with what each output is about to take before any output
  // is sent anything: a run that dies or fails after this never sends an alert twice.
  Stage commit_before_delivery() {
    if (!store_ || o_.dry_run) return {};
    memory_.alerts = std::move(classified_.records);
    for (const auto& [policy, keys] : seen_.asked) {
      for (const std::string& key : keys) memory_.policies[policy].first_seen[key] = until_;
    }
    if (s_.store_until) {
      for (const std::string& p : evaluated_) memory_.policies[p].until = until_;
      // The window of format 1 is every policy's own once all have run.
      if (!o_.selection.narrows() && not_evaluated_.empty()) memory_.legacy_since.reset();
    }
    if (deliver_now()) {
      for (const auto& sink : sinks_) {
        std::vector<model::Alert>& queue = memory_.pending[sink->name()];
        for (const std::vector<model::Alert>* list : {&classified_.report, &classified_.resolved}) {
          for (const model::Alert& a : *list) {
            const auto legacy = memory_.legacy_deliveries.find(a.fingerprint);
            if (legacy == memory_.legacy_deliveries.end() || !legacy->second.outputs.count(sink->name()))
              queue.push_back(a);
          }
        }
      }
    }
    memory_.legacy_deliveries.clear();
    state::prune(memory_, until_, s_.retention);
    if (!commit()) {
      err_ << "reddalert: the status file was not committed; nothing was sent\n";
      return kDataFailure;
    }
    log_("committed " + store_->describe());
    if (memory_.migrated && !o_.quiet)
      err_ << "reddalert: note: migrated the original status file " << store_->describe() << '\n';
    return {};
  }

  // 7. Standard output (`--format`, default text, for `stdout`; the original's
  // tab-separated form for `tsv`), then problems, policies not evaluated and the summary
  // line on standard error.
  void report() {
    const auto& outputs = s_.outputs;
    const bool to_stdout = std::find(outputs.begin(), outputs.end(), "stdout") != outputs.end();
    const bool to_tsv = std::any_of(outputs.begin(), outputs.end(),
                                    [](const std::string& x) { return sinks::stdout_format(x) == "tsv"; });
    const std::vector<model::Alert> none;
    const sinks::Results results{o_.learn ? none : classified_.report, o_.learn ? none : classified_.resolved, summary_,
                                 policy_infos_, problem_infos_};
    if (compliance_view()) {
      write_compliance();
    } else if (to_stdout || o_.dry_run) {
      sinks::write_format(o_.format, results, out_, o_.color, o_.show_resolved);
    }
    if (to_tsv && !to_stdout && !o_.dry_run) sinks::write_format("tsv", results, out_, false);
    for (const eval::Problem& p : problems_) {
      err_ << "reddalert: run-time problem in policy " << p.policy << " at " << p.location.str();
      if (!p.resource.empty()) err_ << " (resource " << p.resource << ")";
      err_ << ": " << p.message;
      if (p.count > 1) err_ << " (" << p.count << " times)";
      err_ << '\n';
    }
    for (const auto& [policy, reason] : not_evaluated_) {
      err_ << "reddalert: policy " << policy << " was not evaluated: " << reason
           << (store_ ? "; its window did not move\n" : "\n");
    }
    for (const std::string& m : empty_collections_) {
      err_ << "reddalert: warning: EDDA returned no " << m
           << " documents at all: a disabled collection, or an EDDA whose datastore failed (it answers [] then)\n";
    }
    if (o_.quiet) return;
    std::size_t total = 0;
    std::string per;
    for (const auto& [name, n] : resources_) {
      total += n;
      per += (per.empty() ? "" : ", ") + name + " " + std::to_string(n);
    }
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.3f", summary_["seconds"].get<double>());
    err_ << "reddalert: " << engine_->selected().size() << " policies";
    if (!not_evaluated_.empty()) err_ << " (" << not_evaluated_.size() << " not evaluated)";
    err_ << ", " << total << " resources (" << per << "), "
         << (o_.learn ? std::to_string(classified_.learned) + " alerts recorded (learning: none emitted), "
                      : std::to_string(classified_.report.size()) + " alerts, " +
                            std::to_string(classified_.resolved.size()) + " resolved, ")
         << classified_.repeated << " repeated, " << classified_.waived << " waived, " << problems_.size()
         << " run-time problems, window " << base::iso8601(earliest()) << " .. " << base::iso8601(until_) << ", "
         << secs << "s\n";
  }

  // 8. The outputs, each sent what it has yet to take (without a status file, this run's);
  // then the exit code, by the precedence of docs/cli.md "Exit codes".
  int deliver_and_exit() {
    if (deliver_now()) {
      bool delivered = true;
      if (store_) {
        for (const auto& [output, queue] : memory_.pending) {
          const std::string& name = output;  // a structured binding cannot be captured (clang 14)
          const bool used = std::any_of(sinks_.begin(), sinks_.end(), [&](const auto& k) { return k->name() == name; });
          if (!used && !queue.empty()) {
            err_ << "reddalert: note: " << queue.size() << " alert(s) wait for output " << name
                 << ", which this run does not use; they stay in the status file\n";
          }
        }
        delivered = deliver(
            sinks_, memory_, summary_, earliest(), until_, [this] { return commit(); }, err_, log_);
      } else {
        for (const auto& sink : sinks_) {
          try {
            sink->send({classified_.report, classified_.resolved, summary_, earliest(), until_});
          } catch (const sinks::SinkError& e) {
            err_ << "reddalert: " << e.message << '\n';
            delivered = false;
          }
        }
      }
      if (!delivered) {
        err_ << "reddalert: an output failed; "
             << (store_ ? "its alerts wait in the status file and go to it at the next run, each once\n"
                        : "without a status file its alerts are not kept\n");
        return kDataFailure;
      }
    }
    if (!problems_.empty()) return kRuntimeProblems;
    // A field the source never provides is a limit of the source, said on every run; a
    // collection it lacks is a failure to look at (exit 6).
    if (not_evaluated_.size() > unprovided_.size()) return kNotEvaluated;
    if (o_.learn || o_.exit_zero) return kOk;
    // --fail-on: only alerts at that severity or above fail the run; the others were
    // reported and delivered all the same.
    const int least = o_.fail_on.empty() ? -1 : severity_rank(o_.fail_on);
    return std::any_of(classified_.report.begin(), classified_.report.end(),
                       [&](const model::Alert& a) { return severity_rank(a.severity) >= least; })
               ? kAlerts
               : kOk;
  }

  const CheckOptions& o_;
  const World& world_;
  std::ostream& out_;
  std::ostream& err_;
  const Log log_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  const base::Millis now_ = base::now_millis();

  std::optional<Engine> engine_;
  RunSettings s_;
  std::unique_ptr<net::HttpClient> http_;
  std::vector<std::unique_ptr<sinks::Sink>> sinks_;
  std::unique_ptr<DataSource> source_;
  std::unique_ptr<state::Store> store_;  // null: no memory between runs
  state::State memory_;
  base::Millis until_ = 0;
  std::vector<Group> groups_;

  eval::FirstSeenState seen_;
  std::vector<std::pair<std::string, std::string>> not_evaluated_;  // policy, reason
  // policy -> the alerts found, waived ones left out, each as the checks its findings name
  std::map<std::string, std::vector<std::vector<std::string>>> found_;
  std::set<std::string> unprovided_;  // of those: fields the source does not provide (Evaluation::unprovided)
  std::vector<eval::Problem> problems_;
  std::vector<sinks::PolicyInfo> policy_infos_;  // the selected policies, for the formats
  std::vector<sinks::Problem> problem_infos_;    // problems_, for the formats
  std::map<std::string, std::size_t> resources_;
  std::set<std::string> empty_collections_;
  std::set<std::string> evaluated_;
  Classified classified_;
  nlohmann::json summary_;
};

}  // namespace

int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err, const World& world) {
  return CheckRun(options, world, out, err).run();
}

}  // namespace reddalert::app
