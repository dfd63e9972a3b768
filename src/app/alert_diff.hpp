// What a change to the policies does to the alerts: the two sides of `diff --base REV`
// compared policy by policy (cli.md, "diff"), and the reports of that comparison (text,
// markdown for a pull-request comment, json). Pure functions, tested alone.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "model/alert.hpp"

namespace reddalert::app {

// A policy as one side has it.
struct DiffPolicy {
  std::string name;
  std::string title;
  std::string severity;
  std::string file;                           // as the working tree names it
  int ordinal = 0;                            // its place among the policies of its file
  std::map<std::string, std::string> params;  // name -> value as compact JSON text
  std::optional<std::string> not_evaluated;   // why, when the source lacks what it reads
};

// One side: its policies in load order and their alerts (in policy order). A side whose
// policies did not load or compile has `errors` and nothing else.
struct DiffSide {
  std::vector<DiffPolicy> policies;
  std::vector<model::Alert> alerts;
  base::Diagnostics errors;
};

struct ParamChange {
  std::string name;
  std::optional<std::string> before, after;  // compact JSON text; nullopt: not declared on that side
};

struct PolicyChange {
  enum class Status { Added, Removed, Renamed, Changed, Unchanged } status = Status::Unchanged;
  std::string policy;        // the working tree's name (the base's when removed)
  std::string renamed_from;  // Renamed
  std::string title, severity, file;
  std::vector<ParamChange> params;
  std::optional<std::string> not_evaluated_before, not_evaluated_after;
  std::vector<const model::Alert*> added, removed;
  std::vector<std::pair<const model::Alert*, const model::Alert*>> changed;  // before, after
};

struct DiffResult {
  std::string base;                    // the revision as given
  std::string commit;                  // what it names
  bool base_failed = false;            // the base did not compile: every alert of the working tree is added
  std::vector<PolicyChange> policies;  // the working tree's load order, then the removed ones
  std::size_t added = 0, removed = 0, changed = 0;  // alerts, over every policy

  bool alerts_change() const { return added + removed + changed > 0; }
};

const char* status_name(PolicyChange::Status s);

// Pairs the policies of the two sides (a policy missing on one side and new on the other,
// in the same file at the same place or with the same title, is renamed) and their alerts
// by id: an alert is changed when its messages, details, resources, severity or title
// differ. `before` and `after` must outlive the result.
DiffResult compare(const DiffSide& before, const DiffSide& after);

struct DiffReportOptions {
  std::size_t max_alerts = 10;  // markdown: alerts listed per policy and kind
};

void write_diff_text(const DiffResult& d, std::ostream& out);
void write_diff_markdown(const DiffResult& d, std::ostream& out, const DiffReportOptions& options = {});
// {"format", "base", "commit", "base_failed", "summary", "policies": [...]}; ALERT as in
// `check --format json`.
void write_diff_json(const DiffResult& d, const base::Diagnostics& base_errors, std::ostream& out);

}  // namespace reddalert::app
