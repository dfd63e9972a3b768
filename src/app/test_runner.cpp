#include "app/test_runner.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "app/case_runner.hpp"
#include "base/text.hpp"
#include "config/test_file.hpp"

namespace reddalert::app {

namespace {

struct CaseResult {
  std::string name;
  bool passed = true;
  bool error = false;   // the case could not run (an unknown param, data that does not read)
  std::string failure;  // readable diff or error
};

struct FileResult {
  std::string path;
  std::string policy;
  std::vector<CaseResult> cases;
};

// Where outcomes per policy and clause index, summed over cases.
using Coverage = std::map<std::string, std::map<std::size_t, std::array<std::size_t, 2>>>;

// "id   (note)" and the messages below it, one per line.
std::string describe(const std::string& id, const std::vector<std::string>& messages, const char* note) {
  std::string out = id + "   (" + note + ")\n";
  for (const std::string& m : messages) out += "        " + m + "\n";
  return out;
}

// `want` and `got` as sets: "~ id (WHAT differ)" and a line per text on one side only.
void compare_set(std::ostringstream& diff, const std::string& id, const char* what, std::vector<std::string> want,
                 std::vector<std::string> got) {
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  if (want == got) return;
  diff << "    ~ " << id << "   (" << what << " differ)\n";
  for (const std::string& m : want) {
    if (!std::binary_search(got.begin(), got.end(), m)) diff << "      - " << m << '\n';
  }
  for (const std::string& m : got) {
    if (!std::binary_search(want.begin(), want.end(), m)) diff << "      + " << m << '\n';
  }
}

// Compares actual alerts with the expectation; returns an empty string when they agree.
std::string compare(const config::TestCase& c, const std::vector<model::Alert>& actual) {
  std::map<std::string, const model::Alert*> by_id;
  for (const model::Alert& a : actual) by_id[a.id] = &a;
  std::map<std::string, const config::ExpectedAlert*> expected;
  for (const config::ExpectedAlert& e : c.expect) expected[e.id] = &e;
  std::ostringstream diff;
  if (c.count && *c.count != actual.size())
    diff << "    # " << actual.size() << " alert(s) raised, " << *c.count << " expected (`count`)\n";
  for (const auto& [id, e] : expected) {
    const auto it = by_id.find(id);
    if (it == by_id.end()) {
      diff << "    - " << describe(id, e->messages.value_or(std::vector<std::string>{}), "expected, not raised");
      continue;
    }
    const model::Alert& a = *it->second;
    if (e->messages) compare_set(diff, id, "messages", *e->messages, a.messages);
    if (e->severity && *e->severity != a.severity)
      diff << "    ~ " << id << "   (severity " << a.severity << ", expected " << *e->severity << ")\n";
    if (e->resources) compare_set(diff, id, "resources", *e->resources, a.resources);
    if (e->details) {
      // As compact JSON of the parsed values, so that key order and spacing do not matter.
      std::vector<std::string> want, got;
      for (const nlohmann::json& d : *e->details) want.push_back(d.dump());
      for (const std::string& d : a.details) got.push_back(nlohmann::json::parse(d).dump());
      compare_set(diff, id, "details", want, got);
    }
  }
  for (const model::Alert& a : actual) {
    if (!expected.count(a.id)) diff << "    + " << describe(a.id, a.messages, "raised, not expected");
  }
  return diff.str();
}

// The run-time problems of a case against those it expects (`problems`, each a part of a
// message): an unexpected problem and an expected one that did not happen both fail it.
std::string compare_problems(const config::TestCase& c, const std::vector<eval::Problem>& problems) {
  std::string failure;
  const std::vector<std::string> none;
  const std::vector<std::string>& expected = c.problems ? *c.problems : none;
  std::vector<bool> seen(expected.size(), false);
  for (const eval::Problem& p : problems) {
    bool matched = false;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (p.message.find(expected[i]) != std::string::npos) seen[i] = matched = true;
    }
    if (!matched) {
      failure += "    run-time problem at " + p.location.str() +
                 (p.resource.empty() ? "" : " (resource " + p.resource + ")") + ": " + p.message + "\n";
    }
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (!seen[i]) failure += "    - run-time problem `" + expected[i] + "`   (expected, none happened)\n";
  }
  return failure;
}

// Whether the policy was decided as the case expects (`not_evaluated`, a part of the reason).
std::string compare_not_evaluated(const config::TestCase& c, const std::string& reason) {
  if (!c.not_evaluated) {
    return reason.empty() ? std::string() : "    the policy was not evaluated: " + reason + "\n";
  }
  if (reason.empty())
    return "    - not evaluated `" + *c.not_evaluated + "`   (expected, but the policy was evaluated)\n";
  if (reason.find(*c.not_evaluated) == std::string::npos) {
    return "    ~ not evaluated: " + reason + "   (expected `" + *c.not_evaluated + "`)\n";
  }
  return {};
}

// Runs a case and compares it with its expectation; adds its where outcomes to `coverage`.
CaseResult run_and_compare(CaseRunner& runner, const config::TestFile& file, const config::TestCase& c,
                           Coverage& coverage) {
  CaseResult r;
  r.name = c.name;
  const CaseOutcome outcome = runner.run(file, c);
  for (const auto& [i, counts] : outcome.where_outcomes) {
    coverage[file.policy][i][0] += counts[0];
    coverage[file.policy][i][1] += counts[1];
  }
  std::string failure;
  if (!outcome.error.empty()) failure = "    " + outcome.error + "\n";
  if (outcome.error.empty()) {
    failure += compare_not_evaluated(c, outcome.not_evaluated) + compare_problems(c, outcome.problems) +
               compare(c, outcome.alerts);
  }
  r.passed = failure.empty();
  r.error = !outcome.error.empty();
  r.failure = std::move(failure);
  return r;
}

// One testcase of `--coverage --format junit`: a policy's coverage, failing (the lines of
// the text report) when it has no cases or a `where` clause was never true or never false.
struct CoverageCase {
  std::string file;
  std::string policy;
  std::string failure;  // empty: complete
};

// A testsuite per test file, a testcase per case (one `failure` with its diff, or one
// `error` when it could not run); with --coverage, a testsuite `coverage`, a testcase per
// policy. Counts on every testsuite and on testsuites.
void write_junit(const std::vector<FileResult>& files, const std::vector<CoverageCase>* coverage, std::ostream& out) {
  struct Counts {
    std::size_t tests = 0, failures = 0, errors = 0;
    std::string attributes() const {
      return "tests=\"" + std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
             std::to_string(errors) + "\" skipped=\"0\"";
    }
  };
  Counts all;
  std::string body;
  for (const auto& f : files) {
    Counts n;
    std::string suite;
    for (const auto& c : f.cases) {
      ++n.tests;
      suite +=
          "    <testcase classname=\"" + base::xml_escape(f.policy) + "\" name=\"" + base::xml_escape(c.name) + "\"";
      if (c.passed) {
        suite += "/>\n";
      } else if (c.error) {
        ++n.errors;
        suite += ">\n      <error message=\"the case could not run\">" + base::xml_escape(c.failure) +
                 "</error>\n    </testcase>\n";
      } else {
        ++n.failures;
        suite += ">\n      <failure message=\"alerts differ from the expectation\">" + base::xml_escape(c.failure) +
                 "</failure>\n    </testcase>\n";
      }
    }
    all.tests += n.tests;
    all.failures += n.failures;
    all.errors += n.errors;
    body +=
        "  <testsuite name=\"" + base::xml_escape(f.path) + "\" " + n.attributes() + ">\n" + suite + "  </testsuite>\n";
  }
  if (coverage) {
    Counts n;
    std::string suite;
    for (const CoverageCase& c : *coverage) {
      ++n.tests;
      suite += "    <testcase classname=\"" + base::xml_escape(c.file) + "\" name=\"coverage of " +
               base::xml_escape(c.policy) + "\"";
      if (c.failure.empty()) {
        suite += "/>\n";
      } else {
        ++n.failures;
        suite += ">\n      <failure message=\"incomplete coverage\">" + base::xml_escape(c.failure) +
                 "</failure>\n    </testcase>\n";
      }
    }
    all.tests += n.tests;
    all.failures += n.failures;
    body += "  <testsuite name=\"coverage\" " + n.attributes() + ">\n" + suite + "  </testsuite>\n";
  }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"reddalert\" " << all.attributes() << ">\n"
      << body << "</testsuites>\n";
}

std::string clause_text(const ast::Clause& c) {
  const std::string_view line = c.location.file ? c.location.file->line(c.location.line) : std::string_view();
  std::string text(line);
  text.erase(0, text.find_first_not_of(" \t"));
  return text;
}

}  // namespace

int run_tests(const TestOptions& o, std::ostream& out, std::ostream& err) {
  const std::vector<std::string> paths = o.paths.empty() ? std::vector<std::string>{"policies"} : o.paths;
  LoadRequest request = LoadRequest::policies_only(policy_paths(paths));
  request.selection = o.selection;
  Engine engine(request);
  base::Diagnostics& diagnostics = engine.diagnostics();
  const std::vector<config::TestFile> files = load_test_files(engine, paths, diagnostics);
  // The configuration, for the cases that run with its params (and only then: the others
  // do not depend on it).
  std::optional<config::Config> configuration;
  const bool wants_config = std::any_of(files.begin(), files.end(), [](const config::TestFile& f) {
    return std::any_of(f.cases.begin(), f.cases.end(),
                       [](const config::TestCase& c) { return c.config_params.has_value(); });
  });
  std::error_code ec;
  const std::string config_path = !o.config_path.empty()                        ? o.config_path
                                  : std::filesystem::exists(kDefaultConfig, ec) ? kDefaultConfig
                                                                                : "";
  if (wants_config && !config_path.empty() && config_path != kNoConfig) {
    config::LoadResult c = config::load(config_path);
    diagnostics.append(c.diagnostics);
    configuration = std::move(c.config);
  }
  Coverage coverage;
  CaseRunner runner(engine, {}, configuration ? &*configuration : nullptr);
  std::vector<std::string> names;
  for (const ast::Policy* p : engine.program().policies) names.push_back(p->name);
  print_diagnostics(diagnostics, "text", out, err, o.color);
  if (diagnostics.has_errors()) {
    err << "reddalert test: " << diagnostics.error_count() << " error(s) in policies or test files\n";
    return kUsage;
  }

  std::vector<FileResult> results;
  std::size_t passed = 0, failed = 0, skipped = 0;
  std::set<std::string> tested;
  for (const config::TestFile& f : files) {
    // The test files of policies the selection leaves out are skipped.
    if (!engine.selected().count(f.policy)) {
      ++skipped;
      continue;
    }
    tested.insert(f.policy);
    FileResult fr{f.path, f.policy, {}};
    for (const config::TestCase& c : f.cases) {
      fr.cases.push_back(run_and_compare(runner, f, c, coverage));
      (fr.cases.back().passed ? passed : failed) += 1;
    }
    results.push_back(std::move(fr));
  }

  std::ostream& report = o.format == "junit" ? err : out;
  const char* green = o.color ? "\x1b[32m" : "";
  const char* red = o.color ? "\x1b[31m" : "";
  const char* off = o.color ? "\x1b[0m" : "";
  for (const FileResult& f : results) {
    // -q: a file only when one of its cases failed, and only the failing cases.
    if (o.quiet && std::all_of(f.cases.begin(), f.cases.end(), [](const CaseResult& c) { return c.passed; })) continue;
    report << f.path << " (" << f.policy << ")\n";
    for (const CaseResult& c : f.cases) {
      if (o.quiet && c.passed) continue;
      report << "  " << (c.passed ? green : red) << (c.passed ? "ok  " : "FAIL") << off << "  " << c.name << '\n';
      if (!c.passed) report << c.failure;
    }
  }
  bool coverage_complete = true;
  std::vector<CoverageCase> coverage_cases;
  if (o.coverage) {
    report << "\ncoverage:\n";
    std::size_t clauses = 0, covered = 0;
    for (const ast::Policy* p : engine.program().policies) {
      if (!engine.selected().count(p->name)) continue;  // coverage of the selected policies
      CoverageCase& cc = coverage_cases.emplace_back();
      cc.file = p->location.path();
      cc.policy = p->name;
      if (!tested.count(p->name)) {
        cc.failure = p->location.str() + ": policy `" + p->name + "` has no test cases\n";
        report << "  " << cc.failure;
        coverage_complete = false;
        continue;
      }
      for (std::size_t i = 0; i < p->clauses.size(); ++i) {
        if (p->clauses[i].kind != ast::ClauseKind::Where) continue;
        ++clauses;
        const auto& counts = coverage[p->name][i];
        if (counts[0] > 0 && counts[1] > 0) {
          ++covered;
          continue;
        }
        coverage_complete = false;
        const std::string line = p->clauses[i].location.str() + ": `" + clause_text(p->clauses[i]) + "` was never " +
                                 (counts[1] == 0 && counts[0] == 0 ? "reached"
                                  : counts[1] == 0                 ? "true"
                                                                   : "false") +
                                 "\n";
        cc.failure += line;
        report << "  " << line;
      }
    }
    report << "  " << tested.size() << " of " << engine.selected().size() << " policies tested; " << covered << " of "
           << clauses << " where clauses both true and false\n";
  }
  if (o.format == "junit") write_junit(results, o.coverage ? &coverage_cases : nullptr, out);
  report << passed << " passed, " << failed << " failed";
  if (skipped == 1) report << ", 1 test file skipped (its policy is not selected)";
  if (skipped > 1) report << ", " << skipped << " test files skipped (their policies are not selected)";
  report << '\n';
  if (failed > 0) return 1;
  // A test run that ran nothing is a mistake (a wrong path, a selection that skips every
  // file) unless it is said to be fine.
  if (passed == 0 && !o.allow_empty) {
    err << "reddalert test: no test case ran (a `*_test.yaml` file next to the policies names its policy and lists "
           "`cases`); --allow-empty makes this exit 0\n";
    return 1;
  }
  return o.coverage && !coverage_complete ? 1 : 0;
}

}  // namespace reddalert::app
