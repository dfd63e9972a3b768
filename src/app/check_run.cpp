#include "app/check_run.hpp"

#include <algorithm>
#include <chrono>
#include <functional>

#include "app/pipeline.hpp"
#include "base/thread_pool.hpp"
#include "base/url.hpp"
#include "edda/client.hpp"
#include "edda/snapshot.hpp"
#include "sinks/formats.hpp"
#include "sinks/sink.hpp"
#include "state/state.hpp"

namespace reddalert::app {

namespace {

net::HttpOptions http_options(const std::optional<config::Config>& c) {
  const config::HttpConfig h = c ? c->http : config::HttpConfig{};
  net::HttpOptions http;
  http.timeout = h.timeout.value_or(http.timeout);
  http.connect_timeout = h.connect_timeout.value_or(http.connect_timeout);
  http.retries = h.retries.value_or(http.retries);
  http.ca_file = h.ca_file.value_or("");
  http.proxy = h.proxy.value_or("");
  http.max_response = h.max_response.value_or(http.max_response);
  http.max_decompressed = h.max_decompressed.value_or(http.max_decompressed);
  return http;
}

using Log = std::function<void(const std::string&)>;

// Sends `alerts` to every sink, each one even after another failed, skipping the alerts a
// sink accepted in an earlier, partly failed run; records what each sink accepted in
// `deliveries`. False when a sink failed (its message is on `err`).
bool deliver(const std::vector<std::unique_ptr<sinks::Sink>>& sinks, const std::vector<model::Alert>& alerts,
             const nlohmann::json& summary, base::Millis since, base::Millis until,
             std::map<std::string, state::Delivery>& deliveries, std::ostream& err, const Log& log) {
  const bool earlier = !deliveries.empty();
  bool delivered = true;
  for (const auto& sink : sinks) {
    std::vector<model::Alert> rest;  // only after a partial failure: the alerts this sink lacks
    if (earlier) {
      for (const model::Alert& a : alerts) {
        const auto d = deliveries.find(a.fingerprint);
        if (d == deliveries.end() || !d->second.outputs.count(sink->name())) rest.push_back(a);
      }
      if (rest.size() < alerts.size()) {
        log(std::to_string(alerts.size() - rest.size()) + " alert(s) already sent to " + sink->name() +
            " by an earlier run whose outputs partly failed");
      }
    }
    const std::vector<model::Alert>& pending = earlier ? rest : alerts;
    try {
      sink->send({pending, summary, since, until});
    } catch (const sinks::SinkError& e) {
      err << "reddalert: " << e.message << '\n';
      delivered = false;
      continue;
    }
    for (const model::Alert& a : pending) {
      state::Delivery& d = deliveries[a.fingerprint];
      d.policy = a.policy;
      d.id = a.id;
      d.until = until;
      d.outputs.insert(sink->name());
    }
  }
  return delivered;
}

}  // namespace

int run_check(const CheckOptions& o, std::ostream& out, std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  // 1. Load and lint: errors stop the run before any data is read.
  const base::Millis now = base::now_millis();
  Loaded loaded = load({o.paths, o.config_path, o.policies, o.waivers, now});
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
  // Exactly one data source: the command line's, else the configuration's.
  std::string snapshot = o.snapshot, edda_url = o.edda;
  if (snapshot.empty() && edda_url.empty() && loaded.config) {
    snapshot = loaded.config->snapshot.value_or("");
    edda_url = loaded.config->edda.value_or("");
  }
  if (!snapshot.empty() && !edda_url.empty()) {
    err << "reddalert: give one data source, --snapshot DIR or --edda URL, not both\n";
    return kUsage;
  }
  if (snapshot.empty() && edda_url.empty()) {
    err << "reddalert: no data source: give --snapshot DIR (a recorded snapshot) or --edda URL (a live EDDA), or "
           "set `snapshot:` or `edda:` in the configuration\n";
    return kUsage;
  }
  const base::Millis lag = loaded.config && loaded.config->lag ? *loaded.config->lag : o.lag;

  // Outputs: standard output and the sinks, checked before any data is read.
  std::vector<std::string> outputs = o.outputs;
  if (outputs.empty() && loaded.config) outputs = loaded.config->output;
  if (outputs.empty()) outputs = {"stdout"};
  const auto http = net::make_curl_client(http_options(loaded.config));
  base::Diagnostics output_problems;
  const auto sinks =
      sinks::make_sinks(outputs, loaded.config ? *loaded.config : config::Config{}, *http, output_problems);
  if (output_problems.has_errors()) {
    print_diagnostics(output_problems, "text", out, err, false);
    return kUsage;
  }
  const eval::Program& program = compiled.program;
  const Log log = [&](const std::string& line) {
    if (o.verbose) err << "reddalert: " << line << '\n';
  };

  // The status file: locked for the whole run (the kernel releases the lock if this
  // process dies), read before any data, committed only at the end.
  std::string state_path = o.state_path;
  if (state_path.empty() && loaded.config && loaded.config->state) state_path = *loaded.config->state;
  std::unique_ptr<state::Lock> lock;
  state::State memory;
  if (!state_path.empty()) {
    try {
      lock = std::make_unique<state::Lock>(state_path);
      memory = state::load(state_path);
    } catch (const state::LockBusy& busy) {
      err << "reddalert: another run" << (busy.pid ? " (pid " + std::to_string(busy.pid) + ")" : std::string())
          << " holds the lock " << busy.path << "; this run did nothing\n";
      return kLocked;
    } catch (const state::StateError& e) {
      err << "reddalert: " << e.message << '\n';
      return kDataFailure;
    }
  }

  // 2. The window and the data: only the collections, views and parts of documents the
  // policies read, read on every core.
  const unsigned jobs = o.jobs != 0                                   ? o.jobs
                        : loaded.config && loaded.config->limits.jobs ? *loaded.config->limits.jobs
                                                                      : base::ThreadPool::default_threads();
  base::ThreadPool pool(jobs);
  std::vector<edda::CollectionRequest> requests;
  for (const eval::CollectionUse& c : program.collections)
    requests.push_back({c.name, {c.current, c.changed, c.previous}, c.projection.get()});
  std::unique_ptr<edda::Snapshot> data;
  edda::FetchReport fetched;
  base::Millis since = 0, until = 0;
  try {
    const edda::Manifest manifest = snapshot.empty() ? edda::Manifest{} : edda::read_manifest(snapshot);
    until = o.until ? *o.until : manifest.captured_at ? *manifest.captured_at : base::now_millis() - lag;
    since = o.since ? *o.since : memory.since ? *memory.since : manifest.since.value_or(0);
    if (since > until) {
      err << "reddalert: the window is empty: --since " << base::iso8601(since) << " is after --until "
          << base::iso8601(until) << '\n';
      return kUsage;
    }
    log("window " + base::iso8601(since) + " .. " + base::iso8601(until) + ", data from " +
        (snapshot.empty() ? "EDDA " + base::redact_url(edda_url) : "snapshot " + snapshot) +
        (state_path.empty() ? ", no status file" : ", status file " + state_path));
    if (!snapshot.empty()) {
      data = edda::Snapshot::open(snapshot, requests, {since, until}, &pool);
    } else {
      const edda::EddaClient edda(edda_url, *http, loaded.config ? loaded.config->edda_password_env : "");
      const bool show = o.progress && !o.quiet;
      data = edda::fetch_window(
          edda, requests, {since, until}, fetched, 4,
          [&](std::size_t done, std::size_t total) {
            if (show) {
              err << "\rreddalert: fetched " << done << "/" << total << " EDDA queries" << (done == total ? "\n" : "")
                  << std::flush;
            }
          },
          &pool);
    }
  } catch (const edda::SnapshotError& e) {
    err << "reddalert: snapshot: " << e.message << '\n';
    return kDataFailure;
  } catch (const edda::EddaError& e) {
    err << "reddalert: " << e.message << "; nothing was committed\n";
    return kDataFailure;
  }

  if (memory.migrated) {
    // The original stored first-seen times; counted as last-asked times they would fall
    // to retention at once.
    for (auto& [policy, values] : memory.first_seen) {
      for (auto& [key, ms] : values) ms = std::max(ms, until);
    }
  }
  // The state as it was: what a run whose outputs partly fail commits, with the deliveries.
  std::optional<state::State> before;
  if (!state_path.empty() && !sinks.empty() && !o.dry_run && !o.learn) before = memory;

  // 3. Evaluate and merge; waived alerts are dropped (and not remembered, so that they are
  // reported when the waiver expires); alerts emitted by earlier runs are repeats.
  eval::FirstSeenState seen;
  for (const auto& [policy, values] : memory.first_seen) {
    for (const auto& [key, ms] : values) seen.earlier[policy].insert(key);
  }
  eval::Options evaluation;
  evaluation.jobs = jobs;
  if (loaded.config && loaded.config->limits.max_steps) evaluation.max_steps = *loaded.config->limits.max_steps;
  if (o.max_steps) evaluation.max_steps = *o.max_steps;
  if (loaded.config && loaded.config->limits.max_memory) evaluation.max_memory = *loaded.config->limits.max_memory;
  const eval::EvaluationResult result = eval::evaluate(program, *data, since, until, &seen, evaluation);
  // The alerts to emit stay where make_alerts() put them: no second copy of a large set.
  std::vector<model::Alert> alerts = make_alerts(result, since, until);
  std::size_t kept = 0, repeated = 0, learned = 0, waived = 0;
  for (model::Alert& a : alerts) {
    if (const config::Waiver* w = o.waivers ? find_waiver(loaded.waivers, a, now) : nullptr) {
      ++waived;
      log("waived: " + a.policy + " " + a.id + " by " + w->location.str() + " until " + base::iso8601(w->expires) +
          ": " + w->reason + (w->owner.empty() ? "" : " (" + w->owner + ")"));
      continue;
    }
    bool fresh = true;  // without a status file every alert is new
    if (!state_path.empty()) {
      const auto [it, inserted] =
          memory.alerts.try_emplace(a.fingerprint, state::AlertRecord{a.policy, a.id, until, until});
      fresh = inserted;
      it->second.last = until;
      a.first_seen = it->second.first;
      if (!fresh) {
        ++repeated;
        if (!o.all) log("repeated: " + a.policy + " " + a.id + ", first emitted " + base::iso8601(it->second.first));
      }
    }
    if (o.learn && fresh) ++learned;
    if (o.learn || (!fresh && !o.all)) continue;
    if (&alerts[kept] != &a) alerts[kept] = std::move(a);
    ++kept;
  }
  alerts.erase(alerts.begin() + static_cast<std::ptrdiff_t>(kept), alerts.end());

  // 4. Output and summary.
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  nlohmann::json summary = {{"policies", program.policies.size()},
                            {"alerts", alerts.size()},
                            {"problems", result.problems.size()},
                            {"repeated", repeated},
                            {"waived", waived},
                            {"window", {{"since", since}, {"until", until}}},
                            {"resources", data->counts()},
                            {"missing_collections", data->missing()},
                            {"empty_collections", fetched.empty},
                            {"seconds", seconds}};
  // Standard output: `--format` (default text) for `stdout`, the original's tab-separated
  // form for `tsv`.
  const bool to_stdout = std::find(outputs.begin(), outputs.end(), "stdout") != outputs.end();
  const bool to_tsv = std::any_of(outputs.begin(), outputs.end(),
                                  [](const std::string& x) { return sinks::stdout_format(x) == "tsv"; });
  if (to_stdout || o.dry_run) sinks::write_format(o.format, alerts, summary, out, o.color);
  if (to_tsv && !to_stdout && !o.dry_run) sinks::write_format("tsv", alerts, summary, out, false);
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
  for (const std::string& m : fetched.empty) {
    err << "reddalert: warning: EDDA returned no " << m
        << " documents at all: a disabled collection, or an EDDA whose datastore failed (it answers [] then)\n";
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
        << (o.learn ? std::to_string(learned) + " alerts recorded (learning: none emitted), "
                    : std::to_string(alerts.size()) + " alerts, ")
        << repeated << " repeated, " << waived << " waived, " << result.problems.size() << " run-time problems, window "
        << base::iso8601(since) << " .. " << base::iso8601(until) << ", " << secs << "s\n";
  }
  // 5. The outputs. When one fails, only the deliveries that succeeded are committed, with
  // the state as it was: the next run covers the same window and sends each alert only to
  // the outputs that did not accept it.
  if (!o.dry_run && !o.learn) {
    const bool delivered = deliver(sinks, alerts, summary, since, until, memory.deliveries, err, log);
    if (!delivered) {
      if (before) {
        before->deliveries = memory.deliveries;
        try {
          state::commit(state_path, *before);
        } catch (const state::StateError& e) {
          err << "reddalert: " << e.message << '\n';
        }
      }
      err << "reddalert: an output failed; the window and the alerts were not committed: the next run sends these "
             "alerts again, each only to the outputs that did not accept it\n";
      return kDataFailure;
    }
    // Delivered everywhere: remembered as emitted alerts from now on.
    for (const model::Alert& a : alerts) memory.deliveries.erase(a.fingerprint);
  }

  // 6. Commit the state: every value first_seen() was asked about, the alerts, the next
  // window's start.
  if (!state_path.empty() && !o.dry_run) {
    for (const auto& [policy, keys] : seen.asked) {
      for (const std::string& key : keys) memory.first_seen[policy][key] = until;
    }
    const bool store_until =
        o.store_until.value_or(loaded.config && loaded.config->store_until ? *loaded.config->store_until : true);
    if (store_until) memory.since = until;
    const base::Millis retention =
        loaded.config && loaded.config->state_retention ? *loaded.config->state_retention : base::Millis{90} * 86400000;
    state::prune(memory, until, retention);
    try {
      state::commit(state_path, memory);
    } catch (const state::StateError& e) {
      err << "reddalert: " << e.message << "; nothing was committed\n";
      return kDataFailure;
    }
    log("committed " + state_path + ": the next window starts at " +
        (memory.since ? base::iso8601(*memory.since) : std::string("0")));
    if (memory.migrated && !o.quiet) err << "reddalert: note: migrated the original status file " << state_path << '\n';
  }
  if (!result.problems.empty()) return kRuntimeProblems;
  return alerts.empty() || o.learn || o.exit_zero ? kOk : kAlerts;
}

}  // namespace reddalert::app
