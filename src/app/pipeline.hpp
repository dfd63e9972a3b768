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
#include "eval/evaluate.hpp"
#include "model/alert.hpp"

namespace reddalert::app {

// Exit codes (cli.md section 2).
enum Exit { kOk = 0, kAlerts = 1, kUsage = 2, kDataFailure = 3, kLocked = 4, kRuntimeProblems = 5 };

struct Loaded {
  check::Workspace workspace;
  check::CheckResult checked;
  base::Diagnostics diagnostics;  // loading and checking, together
};

// Loads and checks every policy below `paths`.
Loaded load_policies(const std::vector<std::string>& paths, const check::ParamOverrides& overrides = {});

// Prints diagnostics (text with carets, or one JSON document) and a count line.
void print_diagnostics(const base::Diagnostics& diags, const std::string& format, std::ostream& out, std::ostream& err,
                       bool color);

// Merges the findings of each policy into alerts, in policy order then first-found order.
std::vector<model::Alert> make_alerts(const eval::EvaluationResult& result, base::Millis since, base::Millis until);

}  // namespace reddalert::app
