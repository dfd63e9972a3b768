#include "test_support.hpp"

#include <fstream>
#include <sstream>

#include "app/engine.hpp"

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
  return render_all(app::Engine(app::LoadRequest::of_text(path, text)).lint());
}

nlohmann::json run_policies(const std::string& path, const std::string& text,
                            const std::map<std::string, nlohmann::json>& collections, long long since, long long until,
                            const compile::CompileOptions& options) {
  const app::Engine engine(app::LoadRequest::of_text(path, text));
  if (engine.diagnostics().has_errors()) return {{"lint", render_all(engine.diagnostics())}};
  const compile::CompileResult compiled = engine.compile(nullptr, nullptr, options);
  if (compiled.diagnostics.has_errors()) return {{"lint", render_all(compiled.diagnostics)}};
  const auto source = app::memory_source({collections.begin(), collections.end()});
  const app::Evaluation e = engine.evaluate(compiled.program, *source, {{since, until}, nullptr, {}, nullptr});
  const eval::EvaluationResult& result = e.result;
  nlohmann::json alerts = nlohmann::json::array();
  for (const auto& a : e.alerts) {
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
