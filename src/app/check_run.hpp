// `reddalert check` on a snapshot: lint, fetch what the selected policies read, evaluate,
// print alerts and a summary.
#pragma once

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "base/time.hpp"

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
  std::string format = "text";
  bool color = false;
  bool quiet = false;
  bool progress = false;                   // show EDDA fetch progress (standard error is a terminal)
  std::vector<std::string> outputs;        // -o/--output; empty: the configuration's `output`, else stdout
  unsigned jobs = 0;                       // --jobs: threads for reading and evaluating; 0: the configuration's, else
                                           // one per core
  std::optional<std::uint64_t> max_steps;  // --max-steps: the evaluation budget per document
};

// Returns the exit code.
int run_check(const CheckOptions& options, std::ostream& out, std::ostream& err);

}  // namespace reddalert::app
