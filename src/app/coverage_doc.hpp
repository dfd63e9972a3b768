// `reddalert doc --coverage`: docs/coverage.md, the controls of the catalog
// (config/catalog.hpp, compliance/controls.yaml) against the policies' `controls` and
// `requires`: per framework, each control with its class and the policies that decide it,
// what is covered, and what is not yet (the gaps).
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "config/catalog.hpp"

namespace reddalert::app {

// What a policy says of the controls it decides.
struct PolicyControls {
  std::map<std::string, std::vector<std::string>> controls;  // framework -> control ids
  bool guarded = false;                                      // it `requires` fields
};

struct CoverageReport {
  std::string page;                  // the Markdown
  std::vector<std::string> unknown;  // "policy P maps framework F control C, which the catalog does not have"
  std::vector<std::string> gaps;     // E/Ea controls no policy maps; X controls no guarded policy maps
};

CoverageReport coverage_report(const config::Catalog& catalog, const std::map<std::string, PolicyControls>& policies);

// Loads the policies below `paths` (default ./policies) and writes the page to `out`;
// returns the exit code: 2 when they do not load or one maps a control the catalog lacks.
int write_coverage_doc(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err);

}  // namespace reddalert::app
