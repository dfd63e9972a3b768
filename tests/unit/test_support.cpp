#include "test_support.hpp"

#include <fstream>
#include <sstream>

#include "app/pipeline.hpp"
#include "edda/snapshot.hpp"

namespace reddalert::testing {

namespace {

std::string render_all(const base::Diagnostics& d) {
  std::string out;
  for (const auto& x : d.sorted()) out += base::render(x);
  return out;
}

}  // namespace

std::string eval_expression(const std::string& expression) {
  const std::string text =
      "reddalert 1\npolicy t {\n  title \"t\"\n  severity info\n  description \"t\"\n  for _x in [1]\n  let r = " +
      expression + "\n  alert \"x\"\n  message \"m\"\n  details {r: r}\n}\n";
  const nlohmann::json out = run_policies("expr.policy", text, {}, 0, 0);
  if (out.contains("lint")) return "lint: " + out["lint"].get<std::string>();
  if (!out["problems"].empty()) return "error: " + out["problems"][0]["message"].get<std::string>();
  return out["alerts"][0]["details"][0]["r"].dump();
}

std::string lint_text(const std::string& path, const std::string& text) {
  const check::Workspace ws = check::load_text(path, text);
  base::Diagnostics all = ws.diagnostics;
  const check::CheckResult checked = check::check(ws);
  all.append(checked.diagnostics);
  if (!all.has_errors()) all.append(compile::compile(checked.program, nullptr).diagnostics);
  return render_all(all);
}

nlohmann::json run_policies(const std::string& path, const std::string& text,
                            const std::map<std::string, nlohmann::json>& collections, long long since, long long until,
                            const compile::CompileOptions& options) {
  const check::Workspace ws = check::load_text(path, text);
  base::Diagnostics all = ws.diagnostics;
  const check::CheckResult checked = check::check(ws);
  all.append(checked.diagnostics);
  if (all.has_errors()) return {{"lint", render_all(all)}};
  const compile::CompileResult compiled = compile::compile(checked.program, nullptr, nullptr, options);
  if (compiled.diagnostics.has_errors()) return {{"lint", render_all(compiled.diagnostics)}};
  std::vector<edda::CollectionRequest> requests;
  for (const eval::CollectionUse& u : compiled.program.collections)
    requests.push_back({u.name, {u.current, u.changed, u.previous}, u.projection.get()});
  const auto data = edda::Snapshot::from_json({collections.begin(), collections.end()}, {since, until}, &requests);
  const eval::EvaluationResult result = eval::evaluate(compiled.program, *data, since, until, nullptr);
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& a : app::make_alerts(result, since, until)) {
    nlohmann::json j = model::to_json(a);
    j.erase("policy_fingerprint");
    j.erase("fingerprint");
    alerts.push_back(j);
  }
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : result.problems) {
    problems.push_back({{"policy", p.policy},
                        {"line", p.location.line},
                        {"column", p.location.column},
                        {"resource", p.resource},
                        {"message", p.message},
                        {"count", p.count}});
  }
  return {{"alerts", alerts}, {"problems", problems}};
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace reddalert::testing
