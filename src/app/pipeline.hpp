// The stages as five calls: load -> check -> compile -> fetch -> evaluate -> alerts.
#pragma once

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "check/check.hpp"
#include "compile/compile.hpp"
#include "config/config.hpp"
#include "config/waivers.hpp"
#include "eval/evaluate.hpp"
#include "model/alert.hpp"

namespace reddalert::app {

// Exit codes (cli.md section 2).
enum Exit { kOk = 0, kAlerts = 1, kUsage = 2, kDataFailure = 3, kLocked = 4, kRuntimeProblems = 5, kNotEvaluated = 6 };

inline constexpr const char* kDefaultConfig = "etc/reddalert.yaml";
// `-c /dev/null`: no configuration, as the original tool's users spell it.
inline constexpr const char* kNoConfig = "/dev/null";

struct LoadRequest {
  std::vector<std::string> paths;  // empty: the config's `policies`, else ./policies
  std::string config_path;         // empty: etc/reddalert.yaml when it exists (unless `no_config`)
  std::set<std::string> only;      // --policy NAME...; empty: every enabled policy
  bool waivers = true;             // read the configuration's waivers file (--no-waivers: not)
  base::Millis now = 0;            // waivers that expired before this are reported; 0: the clock
  bool no_config = false;          // read no configuration at all

  // The policies at `paths` alone (test, doc, parse): no configuration, no waivers.
  static LoadRequest policies_only(std::vector<std::string> paths) {
    LoadRequest r;
    r.paths = std::move(paths);
    r.waivers = false;
    r.no_config = true;
    return r;
  }
};

struct Loaded {
  std::optional<config::Config> config;
  check::Workspace workspace;
  check::CheckResult checked;
  std::set<std::string> selected;  // the policies to compile and run
  config::WaiverFile waivers;      // the configuration's waivers, expired ones included
  base::Diagnostics diagnostics;   // configuration, loading and checking, together
};

// Reads the configuration, loads and checks the policies, applies param overrides, and
// validates the configuration against the policies (unknown names, wrong param types).
Loaded load(const LoadRequest& request);

// The waiver that silences `alert` at `now`: the first unexpired one of its policy whose
// `id` and `resources` (those given) match. Null when none does.
const config::Waiver* find_waiver(const config::WaiverFile& waivers, const model::Alert& alert, base::Millis now);

// Prints diagnostics (text with carets on `err`, or one JSON document on `out`).
void print_diagnostics(const base::Diagnostics& diags, const std::string& format, std::ostream& out, std::ostream& err,
                       bool color);

// A new alert of policy `p` for the window since .. until: the policy's metadata, no finding.
model::Alert alert_of(const eval::CompiledPolicy& p, std::string id, base::Millis since, base::Millis until);

// Merges the findings of each policy into alerts, in policy order, then by id.
std::vector<model::Alert> make_alerts(const eval::EvaluationResult& result, base::Millis since, base::Millis until);

}  // namespace reddalert::app
