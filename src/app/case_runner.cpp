#include "app/case_runner.hpp"

#include "base/text.hpp"
#include "edda/snapshot.hpp"

namespace reddalert::app {

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
  const auto data = edda::Snapshot::from_json(c.data, {since, until});
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
