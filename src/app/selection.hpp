// Which policies a run selects, for `check` and `test` alike (cli.md, "Selecting policies"):
// a pure function of what was loaded and the command line's --policy, --tag, --severity and
// --skip-policy. The engine applies it (LoadRequest::selection, Engine::selected()).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/diagnostic.hpp"

namespace reddalert::app {

struct Selection {
  std::vector<std::string> policies;  // --policy: names or globs (`*`, `?`); empty: every enabled policy
  std::vector<std::string> tags;      // --tag: policies that carry one of these; empty: any
  std::string severity;               // --severity: policies at this severity and above; empty: any
  std::vector<std::string> skip;      // --skip-policy: names or globs left out
  std::vector<std::string> controls;  // --control: policies mapped to one of these frameworks; empty: any

  // An option narrows the run to a subset of the loaded policies.
  bool narrows() const {
    return !policies.empty() || !tags.empty() || !severity.empty() || !skip.empty() || !controls.empty();
  }
};

// What selecting reads of one loaded policy.
struct PolicyFacts {
  std::string name;
  std::string severity;           // as declared (check::kSeverities)
  std::vector<std::string> tags;  // as computed (tags are constant expressions)
  bool enabled = true;            // the configuration's `enabled`
};

struct SelectionResult {
  std::set<std::string> selected;  // the policies to compile and run
  // E0119: an entry of --policy, --skip-policy or --tag that matches no loaded policy;
  // E0301: --severity names no severity; E0124: the options together leave no policy.
  base::Diagnostics diagnostics;
};

// A policy is selected when it matches --policy (if given: a name exactly, or a glob), and
// carries one of the --tag tags (if given), and has the --severity or a higher one (if
// given), and matches no --skip-policy entry, and is enabled or named exactly by --policy
// (the command line wins over `enabled: false`; a glob does not).
SelectionResult select_policies(const std::vector<PolicyFacts>& policies, const Selection& selection);

// `*` matches any run of characters (none included), `?` any one; the rest itself.
bool glob_match(std::string_view glob, std::string_view name);
bool is_glob(std::string_view entry);
// The rank of `severity` in check::kSeverities (info 0 .. critical 4); -1 when it is none.
int severity_rank(std::string_view severity);
// E0301 when `value`, given to `option` (--severity, --fail-on), is no severity.
void check_severity_option(const std::string& option, const std::string& value, base::Diagnostics& diagnostics);
// The hint for a name that is no loaded policy: a did-you-mean, else the loaded names, sorted.
std::string unknown_policy_hint(const std::string& name, const std::vector<std::string>& loaded);

}  // namespace reddalert::app
