// `reddalert test`: runs the cases of `*_test.yaml` files against their policies
// (cli.md section 7), reports each case with a diff on failure, JUnit on request, and
// coverage (policies without tests, `where` clauses never both true and false).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "app/selection.hpp"

namespace reddalert::app {

struct TestOptions {
  std::vector<std::string> paths;  // policies and their *_test.yaml files; empty: ./policies
  std::string format = "text";     // text or junit
  bool coverage = false;           // report, and fail on, incomplete coverage
  bool color = false;
  Selection selection;       // whose test files run; the others are skipped
  bool quiet = false;        // -q: only the failing cases and the summary
  bool allow_empty = false;  // --allow-empty: a run without any test case exits 0, not 1
  std::string config_path;   // -c: whose params `config_params: true` cases use; empty: etc/reddalert.yaml
};

// Returns the exit code: 0 all passed, 1 a case failed (or coverage is incomplete with
// --coverage, or no case ran without --allow-empty), 2 a policy or test file does not load, or the selection is wrong
// or empty.
int run_tests(const TestOptions& options, std::ostream& out, std::ostream& err);

}  // namespace reddalert::app
