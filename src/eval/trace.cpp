#include "eval/trace.hpp"

#include <algorithm>

#include "eval/context.hpp"
#include "eval/nodes.hpp"

namespace reddalert::eval {

std::string Tracer::text(const Value& v) const {
  if (options_.max_value_bytes == 0) return json_text(v);
  // One byte past the cut tells that there was more; the text is cut at a character.
  std::string t = json_text(v, options_.max_value_bytes + 1);
  if (t.size() <= options_.max_value_bytes) return t;
  std::size_t end = options_.max_value_bytes;
  while (end > 0 && (static_cast<unsigned char>(t[end]) & 0xC0) == 0x80) --end;
  t.resize(end);
  return t + "…";
}

Value TraceNode::eval(Context& ctx) const {
  const Value v = inner_->eval(ctx);
  if (ctx.run.options.tracer && !v.is_error()) ctx.run.options.tracer->value(location(), v);
  return v;
}

void Tracer::value(const base::Location& at, const Value& v) {
  // An outer expression that starts where an inner one does (`a.b` and `a`) is evaluated
  // after it and replaces it: one value per caret.
  for (TracedValue& p : parts_) {
    if (p.at.line == at.line && p.at.column == at.column && p.at.file == at.file) {
      p.json = text(v);
      return;
    }
  }
  parts_.push_back({at, text(v)});
}

void Tracer::push(std::size_t clause, const Value& v, const std::string_view* resource) {
  TraceStep step;
  step.clause = clause;
  step.value = text(v);
  step.parts = std::move(parts_);
  parts_.clear();
  current_.steps.push_back(std::move(step));
  if (resource) current_.resources.emplace_back(*resource);
}

void Tracer::pop(bool resource) {
  current_.steps.pop_back();
  if (resource) current_.resources.pop_back();
}

bool Tracer::matches(const TraceBinding& b) const {
  if (options_.id.empty() || b.alert_id == options_.id) return true;
  return std::find(b.resources.begin(), b.resources.end(), options_.id) != b.resources.end();
}

void Tracer::finish(TraceBinding::Outcome outcome, std::size_t at, std::string alert_id, std::string message) {
  ++total_;
  current_.outcome = outcome;
  current_.at = at;
  current_.alert_id = std::move(alert_id);
  current_.message = std::move(message);
  if (matches(current_)) {
    ++matched_;
    if (kept_.size() < options_.max_bindings) kept_.push_back(current_);
  }
  current_.alert_id.clear();
  current_.message.clear();
  current_.problem.clear();
}

void Tracer::problem(std::size_t at, const base::Location& where, std::string_view message) {
  // The clause that failed, with the values its sub-expressions had before it did.
  current_.steps.push_back({.clause = at, .value = {}, .parts = std::move(parts_)});
  parts_.clear();
  current_.problem = std::string(message);
  current_.problem_at = where;
  finish(TraceBinding::Outcome::Problem, at);
  current_.steps.pop_back();
}

}  // namespace reddalert::eval
