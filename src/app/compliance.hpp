// `check --format compliance`: each control of a framework (config/catalog.hpp) with the
// policies mapped to it (their `controls`) and its result in this run: passed, failed (with
// the alert count), not evaluated (why), or not covered (a class N control: the data it
// needs; else no policy maps it). Pure: the run's outcome per policy in, a report out.
//
// An alert counts against every control its policy maps, except where its findings name
// the Prowler check they are about (`details.check`, one of the policy's `prowler` ids: a
// policy that decides several checks in one table): such a finding counts against that
// Prowler check only, and against a control of another framework only when the catalog
// lists the check among that control's (`checks:`), or lists none of the policy's checks
// (the catalog then relates them to nothing, and the policy's mapping stands).
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
  // Of those alerts, the checks each one's findings name (finding_checks), one list per
  // alert; the alerts past the end of `checks` name none.
  std::vector<std::vector<std::string>> checks;
  std::string not_evaluated;  // why; empty when it was evaluated
};

// The Prowler check each of an alert's findings names: its details (compact JSON text, as
// model::Alert::details holds them) an object with a string `check`, else "" (names none).
std::vector<std::string> finding_checks(const std::vector<std::string>& details);

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
