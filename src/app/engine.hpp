// The pipeline, written once: load -> check -> compile -> read -> evaluate -> alerts.
// `check`, `test`, `doc`, `lint`, `parse`, the fuzz targets and the unit tests all run
// policies through an Engine; `check_run.cpp` adds memory, waivers and delivery around it.
#pragma once

#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "app/selection.hpp"
#include "app/source.hpp"
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
// `-c /dev/null`: no configuration, as the original tool's users spell it on the command
// line. In code, LoadRequest::policies_only or LoadRequest::text says it.
inline constexpr const char* kNoConfig = "/dev/null";

struct LoadRequest {
  std::vector<std::string> paths;   // empty: the config's `policies`, else ./policies
  std::string config_path;          // empty: etc/reddalert.yaml when it exists (unless `no_config`)
  Selection selection;              // --policy, --tag, --severity, --skip-policy; empty: every enabled policy
  bool waivers = true;              // read the configuration's waivers file (--no-waivers: not)
  base::Millis now = 0;             // waivers that expired before this are reported; 0: the clock
  bool no_config = false;           // read no configuration at all
  std::optional<std::string> text;  // the policy file paths[0] holds, in memory (not read from disk)
  // The directory that relative paths (`paths`, `config_path`, the configuration's
  // `policies` and `import_paths`) resolve against; empty: the current directory.
  // `diff --base` loads a revision's files from its RevisionTree this way.
  std::string root;

  // The policies at `paths` alone (test, doc, parse): no configuration, no waivers.
  static LoadRequest policies_only(std::vector<std::string> paths) {
    LoadRequest r;
    r.paths = std::move(paths);
    r.waivers = false;
    r.no_config = true;
    return r;
  }
  // One policy file held in memory (unit tests, fuzzing): no configuration, no waivers.
  static LoadRequest of_text(std::string path, std::string text) {
    LoadRequest r = policies_only({std::move(path)});
    r.text = std::move(text);
    return r;
  }
};

struct Loaded {
  std::vector<std::string>
      paths;  // what the policies were loaded from (the request's, the configuration's, ./policies)
  std::optional<config::Config> config;
  check::Workspace workspace;
  check::CheckResult checked;
  std::set<std::string> selected;  // the policies to compile and run (select_policies)
  config::WaiverFile waivers;      // the configuration's waivers, expired ones included
  base::Diagnostics diagnostics;   // configuration, loading and checking, together
};

// What one evaluation read and produced. `alerts` and `result` point into `read.data`,
// which lives as long as they do.
struct Evaluation {
  SourceData read;
  eval::EvaluationResult result;
  std::vector<model::Alert> alerts;  // the findings merged by alert id (make_alerts)
  // The policies that read a collection the source lacks, with why (DataSource::lacks):
  // not evaluated, since absence is no evidence of compliance. `alerts` and
  // `result.problems` hold nothing of theirs.
  std::vector<std::pair<std::string, std::string>> not_evaluated;
  // Of those, the policies whose `requires` fields no document has: the source does not
  // provide them (an EDDA older than the field), which is no failure of this run.
  std::set<std::string> unprovided;
};

struct EvaluateRequest {
  edda::Window window;
  eval::FirstSeenState* seen = nullptr;  // first_seen() memory; null: none
  eval::Options options;                 // budgets and threads
  base::ThreadPool* pool = nullptr;      // for reading; null: the calling thread
};

class Engine {
 public:
  // Reads the configuration, loads and checks the policies, applies param overrides, and
  // validates the configuration against the policies (unknown names, wrong param types).
  explicit Engine(const LoadRequest& request);

  const Loaded& loaded() const { return loaded_; }
  const check::CheckedProgram& program() const { return loaded_.checked.program; }
  const std::set<std::string>& selected() const { return loaded_.selected; }
  const std::optional<config::Config>& config() const { return loaded_.config; }
  const config::WaiverFile& waivers() const { return loaded_.waivers; }
  // Everything loading found; commands add what they find in files of their own (tests).
  base::Diagnostics& diagnostics() { return loaded_.diagnostics; }
  const base::Diagnostics& diagnostics() const { return loaded_.diagnostics; }

  // The policies `only` (null: the selected ones) compiled with `params` (null: the
  // configuration's values over the defaults).
  compile::CompileResult compile(const std::set<std::string>* only = nullptr,
                                 const check::ParamOverrides* params = nullptr,
                                 const compile::CompileOptions& options = {}) const;
  // What `lint` reports: the diagnostics of loading, and of compiling the selected policies
  // (constants that cannot be computed) when loading found no error.
  base::Diagnostics lint() const;
  // Reads what `program` uses from `source`, evaluates it for the window, and merges the
  // findings into alerts, of the policies whose collections the source has. Throws
  // SourceError.
  Evaluation evaluate(const eval::Program& program, DataSource& source, const EvaluateRequest& request) const;

 private:
  Loaded loaded_;
};

// Prints diagnostics, sorted, in one of kDiagnosticFormats: text with carets on `err`; on
// `out` one JSON document, GitHub workflow commands, a SARIF log or a JUnit report.
inline constexpr const char* kDiagnosticFormats[] = {"text", "json", "github", "sarif", "junit"};
void print_diagnostics(const base::Diagnostics& diags, const std::string& format, std::ostream& out, std::ostream& err,
                       bool color);

// A new alert of policy `p` for the window since .. until: the policy's metadata, no finding.
model::Alert alert_of(const eval::CompiledPolicy& p, std::string id, base::Millis since, base::Millis until);

// Merges the findings of each policy into alerts, in policy order, then by id. Details
// whose JSON text would pass `details_limit` bytes (limits.max_memory) are left out and
// reported in `problems`.
std::vector<model::Alert> make_alerts(const eval::EvaluationResult& result, base::Millis since, base::Millis until,
                                      std::size_t details_limit = eval::kNoTextLimit,
                                      std::vector<eval::Problem>* problems = nullptr);

}  // namespace reddalert::app
