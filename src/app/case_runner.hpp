// Runs one policy test case (`*_test.yaml`): param overrides checked against the
// policy's defaults, data served with EDDA's time semantics, earlier first_seen state.
// Used by `reddalert test` and by `reddalert doc` (for example alerts).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/engine.hpp"
#include "config/test_file.hpp"

namespace reddalert::app {

// "Now" for a case without a window: far enough that every launch time is in the past.
inline constexpr base::Millis kTestDefaultUntil = 4102444800000;  // 2100-01-01

struct CaseOutcome {
  std::string error;  // non-empty when the case could not run (unknown param, wrong type)
  std::vector<model::Alert> alerts;
  std::vector<eval::Problem> problems;
  std::string not_evaluated;  // why the policy was not evaluated; empty when it was
  std::map<std::size_t, std::array<std::size_t, 2>> where_outcomes;  // clause index -> [false, true]
};

// A policy test file: a name ending in `_test.yaml`.
bool is_test_file(const std::string& path);
// The test files named in `paths`, found below them (recursively), or beside a policy file
// named in them (`x.policy`: `x_test.yaml`), sorted.
std::vector<std::string> find_test_files(const std::vector<std::string>& paths);
// The test files found with `paths` (find_test_files), read and checked: against the
// engine's policies (E0503, a policy not loaded) and the collection table (E0504, a
// collection or field that does not exist). `test`, `lint` and `doc` read them so.
std::vector<config::TestFile> load_test_files(const Engine& engine, const std::vector<std::string>& paths,
                                              base::Diagnostics& diagnostics);
// One test file as read (from disk, or an editor's buffer by the language server), checked
// as load_test_files checks each: its diagnostics go to `diagnostics`.
std::optional<config::TestFile> check_test_file(const Engine& engine, config::TestFileResult read,
                                                base::Diagnostics& diagnostics);
// `paths` without the test files: what to load policies from.
std::vector<std::string> policy_paths(const std::vector<std::string>& paths);

class CaseRunner {
 public:
  // `options`: how policies compile (tests compare the answers with and without indexes and
  // projections).
  // `config`: whose params the cases with `config_params: true` start from (null: none, and
  // such a case cannot run).
  explicit CaseRunner(const Engine& engine, compile::CompileOptions options = {},
                      const config::Config* config = nullptr);

  bool has_policy(const std::string& name) const { return policies_.count(name) > 0; }
  CaseOutcome run(const config::TestFile& file, const config::TestCase& c);

 private:
  // The kinds of the policy's declared param defaults.
  const std::map<std::string, eval::Kind>& defaults_of(const std::string& policy);

  const Engine& engine_;
  compile::CompileOptions options_;
  const config::Config* config_;
  std::map<std::string, const ast::Policy*> policies_;
  std::map<std::string, std::map<std::string, eval::Kind>> defaults_;
};

}  // namespace reddalert::app
