#include "app/check_run.hpp"

#include <algorithm>
#include <chrono>
#include <functional>

#include "app/memory.hpp"
#include "app/pipeline.hpp"
#include "app/settings.hpp"
#include "base/text.hpp"
#include "base/thread_pool.hpp"
#include "base/url.hpp"
#include "check/uses.hpp"
#include "edda/client.hpp"
#include "edda/snapshot.hpp"
#include "sinks/formats.hpp"
#include "sinks/sink.hpp"
#include "state/state.hpp"

namespace reddalert::app {

namespace {

using Log = std::function<void(const std::string&)>;

// One group of policies that share a window start, evaluated on data read for it.
struct Group {
  base::Millis since = 0;
  std::set<std::string> policies;
  compile::CompileResult compiled;
};

// What the run reads of the source for one group: the data, and the collections the
// source does not have.
struct Read {
  std::unique_ptr<edda::Snapshot> data;
  std::vector<std::string> missing;
  std::vector<std::string> empty;  // EDDA answered [] for every view
};

Read read_group(const RunSettings& s, const eval::Program& program, edda::Window window, net::HttpClient& http,
                bool progress, base::ThreadPool& pool, std::ostream& err) {
  std::vector<edda::CollectionRequest> requests;
  for (const eval::CollectionUse& c : program.collections)
    requests.push_back({c.name, {c.current, c.changed, c.previous}, c.projection.get()});
  Read r;
  if (!s.snapshot.empty()) {
    r.data = edda::Snapshot::open(s.snapshot, requests, window, &pool);
    r.missing = r.data->missing();
    return r;
  }
  const edda::EddaClient edda(s.edda, http, s.edda_password_env);
  edda::FetchReport fetched;
  r.data = edda::fetch_window(
      edda, requests, window, fetched, 4,
      [&](std::size_t done, std::size_t total) {
        if (progress) {
          err << "\rreddalert: fetched " << done << "/" << total << " EDDA queries" << (done == total ? "\n" : "")
              << std::flush;
        }
      },
      &pool);
  r.missing = std::move(fetched.missing);
  r.empty = std::move(fetched.empty);
  return r;
}

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
void log_configuration(const Loaded& loaded, const std::string& requested, const Log& log) {
  if (!loaded.config) {
    log(requested == kNoConfig ? std::string("no configuration (-c /dev/null)")
                               : std::string("no configuration: ") + kDefaultConfig + " does not exist");
    return;
  }
  log("configuration " + loaded.config->path);
  for (const auto& [policy, pc] : loaded.config->policies_config) {
    for (const auto& [name, pv] : pc.params)
      log("param " + policy + "." + name + " = " + pv.value.dump() + " (" + pv.location.str() + ")");
    if (!pc.enabled) log("policy " + policy + " disabled (" + pc.location.str() + ")");
  }
}

}  // namespace

int run_check(const CheckOptions& o, std::ostream& out, std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  const Log log = [&](const std::string& line) {
    if (o.verbose) err << "reddalert: " << line << '\n';
  };
  // 1. Load and lint: errors stop the run before any data is read.
  const base::Millis now = base::now_millis();
  Loaded loaded = load({o.paths, o.config_path, o.policies, o.waivers, now});
  print_diagnostics(loaded.diagnostics, "text", out, err, o.color);
  if (loaded.diagnostics.has_errors()) {
    err << "reddalert: " << loaded.diagnostics.error_count()
        << " error(s) in policies or configuration; nothing was read\n";
    return kUsage;
  }
  log_configuration(loaded, o.config_path, log);
  const SettingsResult resolved_settings = resolve_settings(o, loaded.config, base::ThreadPool::default_threads());
  if (!resolved_settings.error.empty()) {
    err << "reddalert: " << resolved_settings.error << '\n';
    return kUsage;
  }
  const RunSettings& s = resolved_settings.settings;

  // Outputs: standard output and the sinks, checked before any data is read.
  const auto http = net::make_curl_client(s.http);
  base::Diagnostics output_problems;
  const auto sinks =
      sinks::make_sinks(s.outputs, loaded.config ? *loaded.config : config::Config{}, *http, output_problems);
  if (output_problems.has_errors()) {
    print_diagnostics(output_problems, "text", out, err, false);
    return kUsage;
  }

  // 2. The status file: locked for the whole run (the kernel releases the lock if this
  // process dies), read before any data, committed only at the end.
  const bool stateful = !s.state_path.empty();
  std::unique_ptr<state::Lock> lock;
  state::State memory;
  if (stateful) {
    try {
      lock = std::make_unique<state::Lock>(s.state_path);
      memory = state::load(s.state_path);
    } catch (const state::LockBusy& busy) {
      err << "reddalert: another run" << (busy.pid ? " (pid " + std::to_string(busy.pid) + ")" : std::string())
          << " holds the lock " << busy.path << "; this run did nothing\n";
      return kLocked;
    } catch (const state::StateError& e) {
      err << "reddalert: " << e.message << '\n';
      return kDataFailure;
    }
  }
  const auto commit = [&]() {
    try {
      state::commit(s.state_path, memory);
      return true;
    } catch (const state::StateError& e) {
      err << "reddalert: " << e.message << '\n';
      return false;
    }
  };

  // 3. The windows: one end for every policy, a start per policy (policy_windows()).
  edda::Manifest manifest;
  try {
    if (!s.snapshot.empty()) manifest = edda::read_manifest(s.snapshot);
  } catch (const edda::SnapshotError& e) {
    err << "reddalert: snapshot: " << e.message << '\n';
    return kDataFailure;
  }
  const base::Millis until = o.until ? *o.until : manifest.captured_at ? *manifest.captured_at : now - s.lag;
  std::vector<Group> groups;
  for (auto& [since, names] : policy_windows(loaded.selected, memory, o.since, manifest.since.value_or(0))) {
    if (since > until) {
      err << "reddalert: the window is empty: it would start at " << base::iso8601(since)
          << (o.since ? " (--since)" : " (the status file: the last run of " + *names.begin() + " ended there)")
          << ", after its end " << base::iso8601(until) << '\n';
      return kUsage;
    }
    groups.push_back({since, std::move(names), {}});
  }
  for (Group& g : groups) {
    g.compiled = compile::compile(loaded.checked.program, &g.policies);
    if (g.compiled.diagnostics.has_errors()) {
      print_diagnostics(g.compiled.diagnostics, "text", out, err, o.color);
      return kUsage;
    }
  }
  if (memory.migrated) {
    // The original stored first-seen times; counted as last-asked times they would fall
    // to retention at once.
    for (auto& [policy, ps] : memory.policies) {
      for (auto& [key, ms] : ps.first_seen) ms = std::max(ms, until);
    }
  }

  // 4. Per group: read what its policies use, evaluate those whose collections the source
  // has, merge findings into alerts. Policies reading a collection the source lacks are not
  // evaluated (absence is no evidence of compliance).
  base::ThreadPool pool(s.jobs);
  eval::FirstSeenState seen;
  for (const auto& [policy, ps] : memory.policies) {
    for (const auto& [key, ms] : ps.first_seen) seen.earlier[policy].insert(key);
  }
  std::vector<model::Alert> raised;
  std::vector<std::pair<std::string, std::string>> not_evaluated;  // policy, reason
  std::vector<eval::Problem> problems;
  std::map<std::string, std::size_t> resources;
  std::set<std::string> empty_collections;
  std::set<std::string> evaluated;
  ClassifyInput classify_input;
  for (const Group& g : groups) {
    log("window " + base::iso8601(g.since) + " .. " + base::iso8601(until) + " for " +
        base::join({g.policies.begin(), g.policies.end()}, ", ") + ", data from " +
        (s.snapshot.empty() ? "EDDA " + base::redact_url(s.edda) : "snapshot " + s.snapshot) +
        (stateful ? ", status file " + s.state_path : ", no status file"));
    Read read;
    try {
      read = read_group(s, g.compiled.program, {g.since, until}, *http, o.progress && !o.quiet, pool, err);
    } catch (const edda::SnapshotError& e) {
      err << "reddalert: snapshot: " << e.message << '\n';
      return kDataFailure;
    } catch (const edda::EddaError& e) {
      err << "reddalert: " << e.message << "; nothing was committed\n";
      return kDataFailure;
    }
    const std::set<std::string> missing(read.missing.begin(), read.missing.end());
    empty_collections.insert(read.empty.begin(), read.empty.end());
    for (const auto& [name, n] : read.data->counts()) resources[name] = std::max(resources[name], n);
    const eval::EvaluationResult result =
        eval::evaluate(g.compiled.program, *read.data, g.since, until, &seen, s.evaluation);
    std::vector<model::Alert> alerts = make_alerts(result, g.since, until);
    std::set<std::string> skipped;
    for (const ast::Policy* p : loaded.checked.program.policies) {
      if (!g.policies.count(p->name)) continue;
      const check::Uses uses = check::uses_of(loaded.checked.program, *p);
      std::vector<std::string> lacking;
      for (const std::string& c : uses.collections) {
        if (missing.count(c)) lacking.push_back(c);
      }
      if (!lacking.empty()) {
        skipped.insert(p->name);
        not_evaluated.emplace_back(p->name, (s.snapshot.empty() ? "EDDA does not serve " : "the snapshot has no ") +
                                                base::join(lacking, ", "));
        continue;
      }
      evaluated.insert(p->name);
      if (uses.condition()) {
        for (const eval::CompiledPolicy& cp : g.compiled.program.policies) {
          if (cp.name == p->name) classify_input.resolving[p->name] = {&cp, g.since};
        }
      }
    }
    for (model::Alert& a : alerts) {
      if (!skipped.count(a.policy)) raised.push_back(std::move(a));
    }
    for (const eval::Problem& p : result.problems) {
      if (!skipped.count(p.policy)) problems.push_back(p);
    }
  }
  // Raised in the policies' load order, whatever group evaluated them.
  std::map<std::string, std::size_t> load_order;
  for (const ast::Policy* p : loaded.checked.program.policies) load_order.emplace(p->name, load_order.size());
  std::stable_sort(raised.begin(), raised.end(), [&](const model::Alert& a, const model::Alert& b) {
    return load_order[a.policy] < load_order[b.policy];
  });

  // 5. Classify against memory and waivers: new, repeated, waived; and what resolved.
  classify_input.state = stateful ? &memory : nullptr;
  classify_input.waivers = o.waivers ? &loaded.waivers : nullptr;
  classify_input.now = now;
  classify_input.until = until;
  classify_input.all = o.all;
  classify_input.learn = o.learn;
  Classified classified = classify(std::move(raised), classify_input);
  for (const std::string& line : classified.log) {
    if (o.all || line.rfind("repeated:", 0) != 0) log(line);
  }
  const std::vector<model::Alert>& alerts = classified.report;

  // 6. The summary.
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  nlohmann::json skipped_json = nlohmann::json::array();
  for (const auto& [policy, reason] : not_evaluated) skipped_json.push_back({{"policy", policy}, {"reason", reason}});
  const base::Millis earliest = groups.empty() ? until : groups.front().since;
  const nlohmann::json summary = {{"policies", loaded.selected.size()},
                                  {"alerts", alerts.size()},
                                  {"resolved", classified.resolved.size()},
                                  {"not_evaluated", skipped_json},
                                  {"problems", problems.size()},
                                  {"repeated", classified.repeated},
                                  {"waived", classified.waived},
                                  {"window", {{"since", earliest}, {"until", until}}},
                                  {"resources", resources},
                                  {"empty_collections", empty_collections},
                                  {"seconds", seconds}};

  // 7. The new memory, written with what each output is about to take before any output
  // is sent anything: a run that dies or fails after this never sends an alert twice.
  const bool deliver_now = !o.dry_run && !o.learn;
  if (stateful && !o.dry_run) {
    memory.alerts = std::move(classified.records);
    for (const auto& [policy, keys] : seen.asked) {
      for (const std::string& key : keys) memory.policies[policy].first_seen[key] = until;
    }
    if (s.store_until) {
      for (const std::string& p : evaluated) memory.policies[p].until = until;
      // The window of format 1 is every policy's own once all have run.
      if (o.policies.empty() && not_evaluated.empty()) memory.legacy_since.reset();
    }
    if (deliver_now) {
      for (const auto& sink : sinks) {
        std::vector<model::Alert>& queue = memory.pending[sink->name()];
        for (const std::vector<model::Alert>* list : {&classified.report, &classified.resolved}) {
          for (const model::Alert& a : *list) {
            const auto legacy = memory.legacy_deliveries.find(a.fingerprint);
            if (legacy == memory.legacy_deliveries.end() || !legacy->second.outputs.count(sink->name()))
              queue.push_back(a);
          }
        }
      }
    }
    memory.legacy_deliveries.clear();
    state::prune(memory, until, s.retention);
    if (!commit()) {
      err << "reddalert: the status file was not committed; nothing was sent\n";
      return kDataFailure;
    }
    log("committed " + s.state_path);
    if (memory.migrated && !o.quiet)
      err << "reddalert: note: migrated the original status file " << s.state_path << '\n';
  }

  // 8. Standard output: `--format` (default text) for `stdout`, the original's
  // tab-separated form for `tsv`.
  const auto& outputs = s.outputs;
  const bool to_stdout = std::find(outputs.begin(), outputs.end(), "stdout") != outputs.end();
  const bool to_tsv = std::any_of(outputs.begin(), outputs.end(),
                                  [](const std::string& x) { return sinks::stdout_format(x) == "tsv"; });
  const std::vector<model::Alert> none;
  const sinks::Results results{o.learn ? none : alerts, o.learn ? none : classified.resolved, summary};
  if (to_stdout || o.dry_run) sinks::write_format(o.format, results, out, o.color, o.show_resolved);
  if (to_tsv && !to_stdout && !o.dry_run) sinks::write_format("tsv", results, out, false);
  for (const eval::Problem& p : problems) {
    err << "reddalert: run-time problem in policy " << p.policy << " at " << p.location.str();
    if (!p.resource.empty()) err << " (resource " << p.resource << ")";
    err << ": " << p.message;
    if (p.count > 1) err << " (" << p.count << " times)";
    err << '\n';
  }
  for (const auto& [policy, reason] : not_evaluated) {
    err << "reddalert: policy " << policy << " was not evaluated: " << reason
        << (stateful ? "; its window did not move\n" : "\n");
  }
  for (const std::string& m : empty_collections) {
    err << "reddalert: warning: EDDA returned no " << m
        << " documents at all: a disabled collection, or an EDDA whose datastore failed (it answers [] then)\n";
  }
  if (!o.quiet) {
    std::size_t total = 0;
    std::string per;
    for (const auto& [name, n] : resources) {
      total += n;
      per += (per.empty() ? "" : ", ") + name + " " + std::to_string(n);
    }
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.3f", seconds);
    err << "reddalert: " << loaded.selected.size() << " policies";
    if (!not_evaluated.empty()) err << " (" << not_evaluated.size() << " not evaluated)";
    err << ", " << total << " resources (" << per << "), "
        << (o.learn ? std::to_string(classified.learned) + " alerts recorded (learning: none emitted), "
                    : std::to_string(alerts.size()) + " alerts, " + std::to_string(classified.resolved.size()) +
                          " resolved, ")
        << classified.repeated << " repeated, " << classified.waived << " waived, " << problems.size()
        << " run-time problems, window " << base::iso8601(earliest) << " .. " << base::iso8601(until) << ", " << secs
        << "s\n";
  }

  // 9. The outputs, each sent what it has yet to take; without a status file, this run's.
  if (deliver_now) {
    bool delivered = true;
    if (stateful) {
      for (const auto& [output, queue] : memory.pending) {
        const std::string& name = output;  // a structured binding cannot be captured (clang 14)
        const bool used = std::any_of(sinks.begin(), sinks.end(), [&](const auto& k) { return k->name() == name; });
        if (!used && !queue.empty()) {
          err << "reddalert: note: " << queue.size() << " alert(s) wait for output " << name
              << ", which this run does not use; they stay in the status file\n";
        }
      }
      delivered = deliver(sinks, memory, summary, earliest, until, commit, err, log);
    } else {
      for (const auto& sink : sinks) {
        try {
          sink->send({alerts, classified.resolved, summary, earliest, until});
        } catch (const sinks::SinkError& e) {
          err << "reddalert: " << e.message << '\n';
          delivered = false;
        }
      }
    }
    if (!delivered) {
      err << "reddalert: an output failed; "
          << (stateful ? "its alerts wait in the status file and go to it at the next run, each once\n"
                       : "without a status file its alerts are not kept\n");
      return kDataFailure;
    }
  }
  if (!problems.empty()) return kRuntimeProblems;
  if (!not_evaluated.empty()) return kNotEvaluated;
  return alerts.empty() || o.learn || o.exit_zero ? kOk : kAlerts;
}

}  // namespace reddalert::app
