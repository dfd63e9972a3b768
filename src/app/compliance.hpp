// `check --format compliance`: each control of a framework (config/catalog.hpp) with the
// policies mapped to it (their `controls`) and its result in this run: passed, failed (with
// the alert count), not evaluated (why), or not covered (a class N control: the data it
// needs; else no policy maps it). Pure: the run's outcome per policy in, a report out.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/catalog.hpp"

namespace reddalert::app {

// What this run found of one selected policy.
struct PolicyOutcome {
  std::map<std::string, std::vector<std::string>> controls;  // framework -> control ids
  std::size_t alerts = 0;                                    // found, waived ones left out
  std::string not_evaluated;                                 // why; empty when it was evaluated
};

enum class ControlStatus { Passed, Failed, NotEvaluated, NotCovered };

struct ControlResult {
  const config::Control* control = nullptr;
  ControlStatus status = ControlStatus::NotCovered;
  std::vector<std::string> policies;  // mapped to it, by name
  std::size_t alerts = 0;
  std::string reason;  // not evaluated: the first policy's why; not covered: why not
};

struct FrameworkResult {
  const config::Framework* framework = nullptr;
  std::vector<ControlResult> controls;
  std::map<ControlStatus, std::size_t> counts;
};

// The frameworks named (all of the catalog's when empty; an unknown one is left out) with
// the result of each control.
std::vector<FrameworkResult> compliance(const config::Catalog& catalog, const std::vector<std::string>& frameworks,
                                        const std::map<std::string, PolicyOutcome>& policies);

void write_compliance_text(const std::vector<FrameworkResult>& report, std::ostream& out);
// {"format": "reddalert-compliance/1", "frameworks": [{"id", "title", "summary", "controls": [...]}]}
nlohmann::json compliance_json(const std::vector<FrameworkResult>& report);

const char* status_name(ControlStatus s);

}  // namespace reddalert::app
