#include "app/case_runner.hpp"

#include <algorithm>
#include <filesystem>

#include "base/text.hpp"
#include "edda/snapshot.hpp"

namespace reddalert::app {

namespace fs = std::filesystem;

bool is_test_file(const std::string& path) {
  static constexpr std::string_view suffix = "_test.yaml";
  return path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> find_test_files(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file() && is_test_file(it->path().filename().string())) out.push_back(it->path().string());
      }
    } else if (is_test_file(p)) {
      out.push_back(p);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> policy_paths(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    if (!is_test_file(p)) out.push_back(p);
  }
  return out;
}

CaseRunner::CaseRunner(const Loaded& loaded) : loaded_(loaded) {
  for (const ast::Policy* p : loaded.checked.program.policies) policies_[p->name] = p;
}

CaseOutcome CaseRunner::run(const config::TestFile& file, const config::TestCase& c) {
  CaseOutcome out;
  // A case starts from the declared defaults, not from the configuration.
  check::ParamOverrides overrides;
  const ast::Policy& policy = *policies_.at(file.policy);
  const std::map<std::string, eval::Value>& defaults = defaults_of(file.policy);
  for (const auto& [name, value] : c.params) {
    const base::Location& where = c.param_locations.at(name);
    const auto def = defaults.find(name);
    if (def == defaults.end()) {
      std::vector<std::string> known;
      for (const auto& prm : policy.params) known.push_back(prm.name);
      out.error = where.str() + ": policy `" + file.policy + "` has no param `" + name + "`; " +
                  (known.empty() ? "it has none" : "its params: " + base::join(known, ", "));
      return out;
    }
    eval::Value v = eval::Value::copy(value);
    if (!def->second.is_null() && !v.is_null() && v.kind() != def->second.kind()) {
      out.error = where.str() + ": param `" + name + "` must be a " + eval::kind_name(def->second.kind()) +
                  " like its default, not a " + eval::kind_name(v.kind());
      return out;
    }
    overrides[file.policy][name] = {std::move(v), where};
  }
  const std::set<std::string> only{file.policy};
  const compile::CompileResult compiled = compile::compile(loaded_.checked.program, &only, &overrides);
  if (compiled.diagnostics.has_errors()) {
    for (const auto& d : compiled.diagnostics.sorted()) out.error += base::render(d);
    return out;
  }
  const base::Millis since = c.since.value_or(0), until = c.until.value_or(kTestDefaultUntil);
  std::map<std::string, model::Json> collections(c.data.begin(), c.data.end());
  const auto data = edda::Snapshot::from_json(std::move(collections), {since, until});
  eval::FirstSeenState state;
  for (const nlohmann::json& v : c.first_seen)
    state.earlier[file.policy].insert(eval::first_seen_key(eval::Value::copy(v)));
  const eval::EvaluationResult result = eval::evaluate(compiled.program, *data, since, until, &state);
  for (const eval::PolicyResult& pr : result.policies) {
    for (std::size_t i = 0; i < pr.where_outcomes.size(); ++i) {
      if (pr.policy->clauses[i].kind == eval::CompiledClause::Kind::Where) out.where_outcomes[i] = pr.where_outcomes[i];
    }
  }
  out.problems = result.problems;
  out.alerts = make_alerts(result, since, until);
  return out;
}

const std::map<std::string, eval::Value>& CaseRunner::defaults_of(const std::string& policy) {
  auto it = defaults_.find(policy);
  if (it == defaults_.end()) {
    const std::set<std::string> only{policy};
    const check::ParamOverrides none;
    const compile::CompileResult c = compile::compile(loaded_.checked.program, &only, &none);
    std::map<std::string, eval::Value> values;
    if (!c.program.policies.empty()) values = c.program.policies.front().params;
    it = defaults_.emplace(policy, std::move(values)).first;
  }
  return it->second;
}

}  // namespace reddalert::app
