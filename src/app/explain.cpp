#include "app/explain.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "app/engine.hpp"
#include "app/trace_report.hpp"
#include "base/json_text.hpp"
#include "base/text.hpp"
#include "base/thread_pool.hpp"
#include "base/time.hpp"
#include "syntax/parse.hpp"

namespace reddalert::app {

namespace {

// A trace keeps at most this much of a value's text when it is shown as text (where it is
// cut to a line's width anyway), so explaining a large estate keeps its memory bounded.
constexpr std::size_t kKeptValueBytes = 4096;

bool has_id(const model::DataSet& data, std::span<const model::Doc> docs, const std::string& id) {
  for (const model::Doc& d : docs) {
    const model::ResourceRef* r = data.resource(d);
    if (r && r->id == id) return true;
  }
  return false;
}

// Why no binding of the program's policy has `id`, per collection it reads; `changed_only`:
// those its policy reads as `changed` alone.
std::vector<std::string> why_none(const std::string& id, const eval::Program& program,
                                  const std::set<std::string>& changed_only, const model::DataSet& data,
                                  const edda::Window& w) {
  std::vector<std::string> out;
  const std::string window = base::iso8601(w.since) + " and " + base::iso8601(w.until);
  for (const eval::CollectionUse& c : program.collections) {
    if (!c.current && !c.changed) continue;
    const bool current = has_id(data, data.current(c.name), id);
    const bool changed = has_id(data, data.changed(c.name), id);
    if (changed_only.contains(c.name) && !changed && current) {
      out.push_back(id + " is in " + c.name + " but did not change between " + window +
                    ", and the policy reads `changed " + c.name + "`; an earlier --since widens the window");
    } else if (current || changed) {
      out.push_back(id + " is in " + c.name + ", but no `for` bound it: the source the policy iterates leaves it out");
    } else {
      out.push_back("no resource of " + c.name + " has the id " + id + " at " + base::iso8601(w.until));
    }
  }
  if (out.empty()) out.push_back("the policy reads no collection, so no binding has a resource id");
  return out;
}

// The policies `o.policy` names: those a file declares, or the one of that name.
std::vector<std::string> named_policies(const ExplainOptions& o, const Engine& engine, bool file) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const ast::Policy* p : engine.program().policies) {
    if (file ? std::filesystem::equivalent(p->location.path(), o.policy, ec) : p->name == o.policy) {
      out.push_back(p->name);
    }
  }
  return out;
}

}  // namespace

int run_explain(const ExplainOptions& o, std::ostream& out, std::ostream& err, const World& world) {
  std::error_code ec;
  const bool file = std::filesystem::is_regular_file(o.policy, ec);
  LoadRequest request;
  request.config_path = o.config_path;
  request.waivers = false;  // a waiver hides an alert; explain shows how the policy finds it
  request.paths = file ? std::vector{o.policy} : o.paths;
  const Engine engine(request);
  if (engine.diagnostics().has_errors()) {
    print_diagnostics(engine.diagnostics(), "text", out, err, false);
    return kUsage;
  }
  const std::vector<std::string> names = named_policies(o, engine, file);
  if (names.empty()) {
    std::vector<std::string> all;
    for (const ast::Policy* p : engine.program().policies) all.push_back(p->name);
    const std::string hint = base::did_you_mean(o.policy, all);
    err << "reddalert explain: " << (file ? o.policy + " declares no policy" : "no policy is named " + o.policy)
        << (hint.empty() ? "" : "; " + hint) << '\n';
    return kUsage;
  }
  try {
    OneOffData data = open_one_off(o.data, engine.config(), world);
    if (!data.error.empty()) {
      err << "reddalert: " << data.error << '\n';
      return kUsage;
    }
    base::ThreadPool pool(data.settings.jobs);
    bool unmatched = false, not_evaluated = false;
    nlohmann::json policies = nlohmann::json::array();
    for (const std::string& name : names) {
      const std::set<std::string> only{name};
      compile::CompileResult compiled = engine.compile(&only, nullptr, {.trace = true});
      if (compiled.diagnostics.has_errors()) {
        print_diagnostics(compiled.diagnostics, "text", out, err, false);
        return kUsage;
      }
      // To tell "not in the window" from "not there", the current view of a collection the
      // policy reads only as `changed` is read too (nothing evaluates it).
      std::set<std::string> changed_only;
      if (!o.id.empty()) {
        for (eval::CollectionUse& c : compiled.program.collections) {
          if (c.changed && !c.current) changed_only.insert(c.name);
          c.current = c.current || c.changed;
        }
      }
      eval::Tracer tracer(
          {.id = o.id, .max_bindings = o.max_bindings, .max_value_bytes = o.format == "json" ? 0 : kKeptValueBytes});
      eval::Options options = data.settings.evaluation;
      options.tracer = &tracer;
      const Evaluation e = engine.evaluate(compiled.program, *data.source, {data.window, nullptr, options, &pool});
      PolicyTrace t;
      t.policy = &compiled.program.policies.front();
      t.window = data.window;
      t.id = o.id;
      t.bindings = tracer.bindings();
      t.total = tracer.total();
      t.matched = tracer.matched();
      for (const eval::Problem& pb : e.result.problems) {
        if (o.id.empty() || pb.resource == o.id) t.problems.push_back(pb);
      }
      if (!e.not_evaluated.empty()) {
        t.not_evaluated = e.not_evaluated.front().second;
        not_evaluated = true;
      } else if (!o.id.empty() && t.matched == 0) {
        t.why_none = why_none(o.id, compiled.program, changed_only, *e.read.data, data.window);
        unmatched = true;
      }
      if (o.format == "json") {
        policies.push_back(trace_json(t));
      } else {
        if (&name != &names.front()) out << '\n';
        write_trace_text(t, out);
      }
    }
    if (o.format == "json")
      out << nlohmann::json{{"format", "reddalert-explain/1"}, {"policies", policies}}.dump(2) << '\n';
    return not_evaluated ? kNotEvaluated : unmatched ? kAlerts : kOk;
  } catch (const SourceError& e) {
    err << "reddalert: " << e.message << '\n';
  }
  return kUsage;
}

namespace {

// `eval` checks and runs its expression as the value of a `let` in a policy that binds
// once: the checker, compiler and evaluator are the ones policies have. Diagnostics and
// problems inside the expression are shown against the expression itself.
class EvalScaffold {
 public:
  EvalScaffold(const std::string& expression, const std::vector<std::string>& imports)
      : expression_(std::make_shared<base::SourceFile>("<expression>", expression)) {
    text_ = "reddalert 1\n";
    for (const std::string& i : imports) text_ += "import '" + i + "'\n";
    text_ += "policy eval {\n  title \"eval\"\n  severity info\n  description \"reddalert eval\"\n";
    text_ += "  for _ in [null]\n  let value =\n";
    first_ = static_cast<std::uint32_t>(std::count(text_.begin(), text_.end(), '\n')) + 1;
    text_ += expression + "\n";
    last_ = static_cast<std::uint32_t>(std::count(text_.begin(), text_.end(), '\n'));
    // The details use the value whole, so a document it is keeps every field (what the
    // policy reads decides what documents keep).
    text_ += "  alert \"eval\"\n  message \"eval\"\n  details {value: value}\n}\n";
  }

  static constexpr const char* kPath = "reddalert-eval.policy";  // in the current directory: imports resolve there
  const std::string& text() const { return text_; }
  const base::SourcePtr& expression() const { return expression_; }

  // A location in the expression's lines, moved onto the expression; others unchanged.
  bool inside(const base::Location& l) const {
    return l.file && l.file->path() == kPath && l.line >= first_ && l.line <= last_;
  }
  base::Location moved(base::Location l) const {
    if (!inside(l)) return l;
    l.line = l.line - first_ + 1;
    l.file = expression_;
    return l;
  }
  // What a user sees of the diagnostics: those of the expression (and of the files it
  // imports) against their own text; the errors of the scaffold's lines (an import that
  // cannot be read) as one line each in `lines`; the scaffold's own warnings not at all.
  base::Diagnostics shown(const base::Diagnostics& all, std::vector<std::string>& lines) const {
    base::Diagnostics out;
    for (base::Diagnostic d : all.items()) {
      if (d.location.file && d.location.file->path() == kPath && !inside(d.location)) {
        if (d.severity == base::Severity::Error) lines.push_back(d.message);
        continue;
      }
      d.location = moved(d.location);
      for (base::Note& n : d.notes) n.location = moved(n.location);
      out.add(std::move(d));
    }
    return out;
  }

 private:
  base::SourcePtr expression_;
  std::string text_;
  std::uint32_t first_ = 0, last_ = 0;
};

}  // namespace

int run_eval(const EvalOptions& o, std::ostream& out, std::ostream& err, const World& world) {
  for (const std::string& i : o.imports) {
    if (i.find_first_of("'\n\r") != std::string::npos) {
      err << "reddalert eval: --import " << base::json_quote(i)
          << ": a path with a quote or a line break cannot be imported\n";
      return kUsage;
    }
  }
  const EvalScaffold scaffold(o.expression, o.imports);
  // The expression alone first: text after it cannot close the `let` and add clauses.
  if (syntax::ExpressionResult parsed = syntax::parse_expression(scaffold.expression()); !parsed.expr) {
    print_diagnostics(parsed.diagnostics, "text", out, err, false);
    return kUsage;
  }
  const Engine engine(LoadRequest::of_text(EvalScaffold::kPath, scaffold.text()));
  const compile::CompileResult compiled =
      engine.diagnostics().has_errors() ? compile::CompileResult{} : engine.compile(nullptr, nullptr, {});
  std::vector<std::string> lines;
  base::Diagnostics diagnostics = scaffold.shown(engine.diagnostics(), lines);
  diagnostics.append(scaffold.shown(compiled.diagnostics, lines));
  for (const std::string& l : lines) err << "reddalert eval: " << l << '\n';
  if (!diagnostics.empty()) print_diagnostics(diagnostics, "text", out, err, false);
  if (engine.diagnostics().has_errors() || compiled.diagnostics.has_errors()) return kUsage;
  try {
    OneOffData data = open_one_off(o.data, std::nullopt, world);
    if (!data.error.empty()) {
      err << "reddalert: " << data.error << '\n';
      return kUsage;
    }
    base::ThreadPool pool(data.settings.jobs);
    eval::Tracer tracer({});
    eval::Options options = data.settings.evaluation;
    options.tracer = &tracer;
    const Evaluation e = engine.evaluate(compiled.program, *data.source, {data.window, nullptr, options, &pool});
    if (!e.not_evaluated.empty()) {
      err << "reddalert eval: not evaluated: " << e.not_evaluated.front().second << '\n';
      return kNotEvaluated;
    }
    const eval::TraceBinding& b = tracer.bindings().at(0);
    if (b.outcome == eval::TraceBinding::Outcome::Problem) {
      err << "reddalert eval: run-time problem at " << scaffold.moved(b.problem_at).str() << ": " << b.problem << '\n';
      return kRuntimeProblems;
    }
    const nlohmann::json value = trace_value_json(b.steps.at(1).value);
    if (o.format == "json") {
      out << nlohmann::json{{"format", "reddalert-eval/1"},
                            {"expression", o.expression},
                            {"window",
                             {{"since", base::iso8601(data.window.since)},
                              {"until", base::iso8601(data.window.until)}}},
                            {"value", value}}
                 .dump(2)
          << '\n';
    } else {
      out << value.dump(2) << '\n';
    }
    return kOk;
  } catch (const SourceError& e) {
    err << "reddalert: " << e.message << '\n';
  }
  return kUsage;
}

}  // namespace reddalert::app
