// `reddalert check`: lint, read what the selected policies read, evaluate, classify the
// alerts against memory and waivers, commit, print, deliver.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "app/source.hpp"
#include "base/diagnostic.hpp"
#include "base/time.hpp"
#include "net/http_client.hpp"
#include "sinks/sink.hpp"
#include "state/store.hpp"

namespace reddalert::app {

struct CheckOptions {
  std::vector<std::string> paths;   // empty: the configuration's `policies`, else ./policies
  std::string config_path;          // empty: etc/reddalert.yaml when it exists
  std::string snapshot;             // empty: the configuration's `snapshot`
  std::string edda;                 // empty: the configuration's `edda`
  std::string state_path;           // empty: the configuration's `state`; none: no memory between runs
  std::optional<bool> store_until;  // --store-until / --no-store-until; default: configuration, else true
  bool all = false;                 // emit alerts already emitted by earlier runs too
  bool learn = false;               // record state, emit nothing
  bool dry_run = false;             // evaluate and print; commit no state
  bool waivers = true;              // apply the configuration's waivers (--no-waivers: not)
  bool exit_zero = false;           // exit 0, not 1, when alerts were emitted
  bool verbose = false;             // log the configuration, the source, each waived, repeated and resolved alert
  bool show_resolved = false;       // text: list resolved events too
  std::optional<base::Millis> since;
  std::optional<base::Millis> until;
  base::Millis lag = 5 * 60 * 1000;
  std::set<std::string> policies;  // empty: all
  std::set<std::string> controls;  // --control: only the policies mapped to one of these frameworks; empty: all
  std::string format = "text";
  bool color = false;
  bool quiet = false;
  bool progress = false;                   // show EDDA fetch progress (standard error is a terminal)
  std::vector<std::string> outputs;        // -o/--output; empty: the configuration's `output`, else stdout
  unsigned jobs = 0;                       // --jobs: threads for reading and evaluating; 0: the configuration's, else
                                           // one per core
  std::optional<std::uint64_t> max_steps;  // --max-steps: the evaluation budget per document
};

struct RunSettings;

// What a run touches besides its policy and configuration files, made from its resolved
// settings. The defaults are the real ones (libcurl, the snapshot or EDDA, the status file,
// the configured sinks); tests of the run replace them with twins.
struct World {
  std::function<std::unique_ptr<net::HttpClient>(const net::HttpOptions&)> http = net::make_curl_client;
  // `progress(done, total)` for EDDA's queries.
  std::function<std::unique_ptr<DataSource>(const RunSettings&, net::HttpClient&,
                                            std::function<void(std::size_t, std::size_t)> progress)>
      source = real_source;
  // Locks the memory for the run; throws state::LockBusy or state::StateError.
  std::function<std::unique_ptr<state::Store>(const std::string& path)> store = [](const std::string& path) {
    return std::make_unique<state::FileStore>(path);
  };
  std::function<std::vector<std::unique_ptr<sinks::Sink>>(const std::vector<std::string>&, const sinks::Options&,
                                                          net::HttpClient&, base::Diagnostics&)>
      sinks = sinks::make_sinks;

  // The snapshot or the EDDA the settings name.
  static std::unique_ptr<DataSource> real_source(const RunSettings& settings, net::HttpClient& http,
                                                 std::function<void(std::size_t, std::size_t)> progress);
};

// Returns the exit code.
int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err, const World& world = {});

}  // namespace reddalert::app
