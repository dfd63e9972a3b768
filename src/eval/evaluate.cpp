#include "eval/evaluate.hpp"

#include <algorithm>

#include "base/text.hpp"
#include "eval/nodes.hpp"

namespace reddalert::eval {

namespace {

class PolicyRun {
 public:
  PolicyRun(RunContext& run, const CompiledPolicy& policy, PolicyResult& result, std::vector<Problem>& problems)
      : policy_(policy), result_(result), problems_(problems), ctx_{run, std::make_shared<Frame>(), &policy} {
    ctx_.frame->slots.resize(static_cast<std::size_t>(policy.frame_size));
  }

  void run() { step(0); }

 private:
  // Runs clause `i` and everything after it for the current bindings.
  void step(std::size_t i) {
    if (i == policy_.clauses.size()) {
      emit();
      return;
    }
    const CompiledClause& c = policy_.clauses[i];
    Value v;
    try {
      v = c.expr->eval(ctx_);
      const Kind k = v.kind();
      if (c.kind == CompiledClause::Kind::For && k != Kind::List && k != Kind::Map && k != Kind::Null) {
        c.expr->fail(std::string("`for` cannot iterate over a ") + kind_name(v.kind()) + "; expected a list or a map");
      }
    } catch (const RuntimeProblem& p) {
      problem(p);
      return;
    }
    Value& slot = ctx_.frame->slots[static_cast<std::size_t>(c.slot < 0 ? 0 : c.slot)];
    switch (c.kind) {
      case CompiledClause::Kind::Where:
        ++result_.where_outcomes[i][v.truthy() ? 1 : 0];
        if (v.truthy()) step(i + 1);
        return;
      case CompiledClause::Kind::Let:
        slot = std::move(v);
        step(i + 1);
        return;
      case CompiledClause::Kind::For:
        v.for_each_element([&](const Value& e) {
          const model::ResourceRef* ref = e.json() ? ctx_.run.data.resource(e.json()) : nullptr;
          if (ref) resources_.push_back(ref);
          ctx_.frame->slots[static_cast<std::size_t>(c.slot)] = e;
          step(i + 1);
          if (ref) resources_.pop_back();
        });
        return;
    }
  }

  void emit() {
    Finding f;
    try {
      const Value id = policy_.alert->eval(ctx_);
      f.alert_id = interpolate(id);
      f.message = interpolate(policy_.message->eval(ctx_));
      if (policy_.details) f.details = to_json(policy_.details->eval(ctx_));
    } catch (const RuntimeProblem& p) {
      problem(p);
      return;
    }
    for (const model::ResourceRef* r : resources_) {
      if (std::find(f.resources.begin(), f.resources.end(), r->id) == f.resources.end()) f.resources.push_back(r->id);
    }
    if (!resources_.empty()) f.collection = resources_.front()->collection;
    ++result_.bindings;
    result_.findings.push_back(std::move(f));
  }

  void problem(const RuntimeProblem& p) {
    std::string resource = resources_.empty() ? std::string() : resources_.back()->id;
    for (Problem& existing : problems_) {
      if (existing.policy == policy_.name && existing.location.line == p.location.line &&
          existing.location.column == p.location.column && existing.location.path() == p.location.path()) {
        ++existing.count;
        return;
      }
    }
    problems_.push_back({policy_.name, p.location, std::move(resource), p.message, 1});
  }

  const CompiledPolicy& policy_;
  PolicyResult& result_;
  std::vector<Problem>& problems_;
  Context ctx_;
  std::vector<const model::ResourceRef*> resources_;  // resource documents bound by enclosing `for`s
};

}  // namespace

std::string first_seen_key(const Value& v) {
  // The status file is JSON: a byte-wise slice is kept as the text it will read back as.
  return v.kind() == Kind::String ? base::to_valid_utf8(v.as_string()) : to_text(v);
}

EvaluationResult evaluate(const Program& program, const model::DataSet& data, base::Millis since, base::Millis until,
                          FirstSeenState* state) {
  RunContext run{program, data, since, until, state, {}, {}, false, {}};
  run.lets.resize(program.lets.size());
  run.lets_in_progress.resize(program.lets.size());
  EvaluationResult result;
  result.policies.reserve(program.policies.size());
  for (const CompiledPolicy& policy : program.policies) {
    PolicyResult& pr = result.policies.emplace_back();
    pr.policy = &policy;
    pr.where_outcomes.resize(policy.clauses.size());
    PolicyRun(run, policy, pr, result.problems).run();
  }
  return result;
}

}  // namespace reddalert::eval
