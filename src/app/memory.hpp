// How a run uses its memory of earlier runs (the status file), as pure functions: where
// each policy's window starts, and which raised alerts are new, repeated or waived, and
// which alerts reported earlier have resolved.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/waivers.hpp"
#include "eval/program.hpp"
#include "model/alert.hpp"
#include "state/state.hpp"

namespace reddalert::app {

// The window start of each policy in `policies`, grouped: `since` when given (the command
// line), else the policy's own `until` from the state, else the state's legacy `since`,
// else `fallback` (the snapshot manifest's `since`, else 0). Policies that share a start
// are evaluated together.
std::map<base::Millis, std::set<std::string>> policy_windows(const std::set<std::string>& policies,
                                                             const state::State& state,
                                                             std::optional<base::Millis> since, base::Millis fallback);

// An evaluated policy whose alerts resolve when they stop firing, with its window.
struct Resolving {
  const eval::CompiledPolicy* policy = nullptr;
  base::Millis since = 0;
};

struct ClassifyInput {
  const state::State* state = nullptr;          // null: no status file, every alert is new
  const config::WaiverFile* waivers = nullptr;  // null: --no-waivers
  base::Millis now = 0;                         // waivers expire against it
  base::Millis until = 0;
  bool all = false;                            // report repeats too
  bool learn = false;                          // record, report nothing
  std::map<std::string, Resolving> resolving;  // by policy name
};

struct Classified {
  std::vector<model::Alert> report;                   // new alerts (and repeats with `all`), in the order raised
  std::vector<model::Alert> resolved;                 // resolved events, by policy then id
  std::map<std::string, state::AlertRecord> records;  // the state's alerts after this run
  std::size_t repeated = 0, waived = 0, learned = 0;
  std::vector<std::string> log;  // for -v: each waived, repeated and resolved alert
};

Classified classify(std::vector<model::Alert> raised, const ClassifyInput& in);

// The waiver that silences `alert` at `now`: the first unexpired one of its policy whose
// `id` and `resources` (those given) match. Null when none does.
const config::Waiver* find_waiver(const config::WaiverFile& waivers, const model::Alert& alert, base::Millis now);

}  // namespace reddalert::app
