#include "eval/evaluate.hpp"

#include <algorithm>
#include <mutex>

#include "base/thread_pool.hpp"
#include "eval/nodes.hpp"
#include "eval/trace.hpp"

namespace reddalert::eval {

namespace {

// Workers are handed to tasks from a free list: a task never shares its worker.
class Workers {
 public:
  Workers(const Options& options, unsigned n) {
    for (unsigned i = 0; i < n; ++i) free_.push_back(std::make_unique<Worker>(options));
  }
  std::unique_ptr<Worker> take() {
    const std::lock_guard<std::mutex> lock(mutex_);
    auto w = std::move(free_.back());
    free_.pop_back();
    return w;
  }
  void give(std::unique_ptr<Worker> w) {
    const std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(std::move(w));
  }

 private:
  std::mutex mutex_;
  std::vector<std::unique_ptr<Worker>> free_;
};

class Borrowed {
 public:
  explicit Borrowed(Workers& all) : all_(all), w_(all.take()) {}
  ~Borrowed() { all_.give(std::move(w_)); }
  Worker& operator*() { return *w_; }

 private:
  Workers& all_;
  std::unique_ptr<Worker> w_;
};

// The elements a policy's first `for` iterates, computed once per policy.
struct Source {
  Value elements;  // a list (a map's values are copied into one)
  std::unique_ptr<base::Arena> arena = std::make_unique<base::Arena>();
  std::optional<Problem> problem;
};

// A slice of a policy's first `for`, evaluated by one task.
struct Unit {
  std::size_t policy = 0;
  std::size_t begin = 0, end = 0;
  std::vector<Finding> findings;
  std::size_t bindings = 0;
  std::vector<std::array<std::size_t, 2>> where_outcomes;
  std::vector<Problem> problems;
  Asked asked;
  std::unique_ptr<base::Arena> arena = std::make_unique<base::Arena>();  // the findings' text and details
};

void add_problem(std::vector<Problem>& problems, const std::string& policy, const base::Location& where,
                 std::string_view resource, std::string_view message, std::size_t count = 1) {
  for (Problem& existing : problems) {
    if (existing.location.line == where.line && existing.location.column == where.column &&
        existing.location.path() == where.path()) {
      existing.count += count;
      return;
    }
  }
  problems.push_back({policy, where, std::string(resource), std::string(message), count});
}

// A step of the binding being traced, for as long as the clause's scope runs.
class Traced {
 public:
  Traced(Tracer* t, std::size_t clause, const Value& v, const model::ResourceRef* r) : t_(t), resource_(r) {
    if (t_) t_->push(clause, v, r ? &r->id : nullptr);
  }
  ~Traced() {
    if (t_) t_->pop(resource_ != nullptr);
  }
  Traced(const Traced&) = delete;
  Traced& operator=(const Traced&) = delete;

 private:
  Tracer* t_;
  const model::ResourceRef* resource_;
};

class PolicyRun {
 public:
  PolicyRun(Run& run, Worker& w, const CompiledPolicy& policy, Unit& unit)
      : policy_(policy),
        unit_(unit),
        ctx_{run, w, &w.arena, nullptr, &policy, &unit.asked},
        tracer_(run.options.tracer) {}

  void run(const Value& elements) {
    const Frame frame(ctx_, static_cast<std::size_t>(policy_.frame_size), policy_.clauses[0].expr.get());
    const CompiledClause& first = policy_.clauses[0];
    Worker& w = ctx_.w;
    for (std::size_t i = unit_.begin; i < unit_.end; ++i) {
      // Each document has a budget of its own, and gives back what its evaluation allocated.
      const Worker::Budget budget = w.begin_budget(ctx_.run.options.max_steps);
      const base::Arena::Mark mark = w.arena.mark();
      const std::size_t top = w.top();
      Value* const frame_base = ctx_.frame;
      const std::size_t depth = resources_.size();
      try {
        bind(first, elements.at(i), 0);
      } catch (const BudgetExceeded& b) {
        report(b.where ? b.where->location() : first.location, b.message, 0);
      } catch (const base::ArenaLimit& l) {
        report(first.location,
               "evaluation used more than " + std::to_string(l.limit) +
                   " bytes for one document (set limits.max_memory to allow more)",
               0);
      }
      w.truncate(top);
      ctx_.frame = frame_base;
      ctx_.arena = &w.arena;
      resources_.resize(depth);
      w.arena.release(mark);
      w.restore(budget);
    }
  }

 private:
  // Binds `e` to a `for` clause's slot and runs the clauses after it.
  void bind(const CompiledClause& c, const Value& e, std::size_t i) {
    ctx_.frame[c.slot] = e;
    const model::ResourceRef* r = resource_of(ctx_, e);
    if (r) resources_.push_back(r);
    {
      const Traced traced(tracer_, i, e, r);
      step(i + 1);
    }
    if (r) resources_.pop_back();
  }

  // Runs clause `i` and everything after it for the current bindings.
  void step(std::size_t i) {
    if (i == policy_.clauses.size()) {
      emit();
      return;
    }
    const CompiledClause& c = policy_.clauses[i];
    if (tracer_) tracer_->begin_clause();
    const Value v = c.expr->eval(ctx_);
    if (v.is_error()) return report(*v.error, i);
    switch (c.kind) {
      case CompiledClause::Kind::Where: {
        ++unit_.where_outcomes[i][v.truthy() ? 1 : 0];
        const Traced traced(tracer_, i, v, nullptr);
        if (v.truthy()) {
          step(i + 1);
        } else if (tracer_) {
          tracer_->finish(TraceBinding::Outcome::Dropped, i);
        }
        return;
      }
      case CompiledClause::Kind::Let: {
        ctx_.frame[c.slot] = v;
        const Traced traced(tracer_, i, v, nullptr);
        step(i + 1);
        return;
      }
      case CompiledClause::Kind::For: {
        if (v.kind != Kind::List && v.kind != Kind::Map && !v.is_null()) {
          return report(c.expr->location(),
                        std::string("`for` cannot iterate over a ") + kind_name(v.kind) + "; expected a list or a map",
                        i);
        }
        if (tracer_ && v.size == 0) tracer_->finish(TraceBinding::Outcome::Empty, i);
        Worker& w = ctx_.w;
        v.each([&](const Value& e) {
          w.step(c.expr.get());
          const base::Arena::Mark mark = w.arena.mark();
          bind(c, e, i);
          w.arena.release(mark);
          return true;
        });
        return;
      }
    }
  }

  void emit() {
    const std::size_t end = policy_.clauses.size();  // a problem here is the alert's, after every clause
    const Value id = policy_.alert->eval(ctx_);
    if (id.is_error()) return report(*id.error, end);
    // A null id would merge the findings of unrelated resources into one alert.
    if (id.is_null()) return report(policy_.alert->location(), "the alert id is null: this finding has no alert", end);
    const Value message = policy_.message->eval(ctx_);
    if (message.is_error()) return report(*message.error, end);
    Value key;
    if (policy_.key) {
      key = policy_.key->eval(ctx_);
      if (key.is_error()) return report(*key.error, end);
    }
    Value details;
    if (policy_.details) {
      details = policy_.details->eval(ctx_);
      if (details.is_error()) return report(*details.error, end);
    }
    base::Arena& keep = *unit_.arena;
    Finding f;
    f.alert_id = text_of(id, keep);
    f.message = text_of(message, keep);
    f.key = policy_.key ? text_of(key, keep) : f.message;
    f.details = details.is_null() ? details : copy_value(details, keep);
    std::size_t distinct = 0;
    auto** resources = keep.array<const model::ResourceRef*>(resources_.size());
    for (const model::ResourceRef* r : resources_) {
      if (std::find(resources, resources + distinct, r) == resources + distinct) resources[distinct++] = r;
    }
    f.resources = {resources, distinct};
    ++unit_.bindings;
    unit_.findings.push_back(f);
    if (tracer_) tracer_->finish(TraceBinding::Outcome::Alert, end, std::string(f.alert_id), std::string(f.message));
  }

  // What `{v}` would insert, kept in `arena`.
  std::string_view text_of(const Value& v, base::Arena& arena) {
    if (v.kind == Kind::String) return arena.copy(v.str());
    std::string& text = ctx_.w.text;
    const std::size_t start = text.size();
    try {
      append_interpolation(text, v, start + ctx_.run.options.max_memory);
    } catch (const base::ArenaLimit&) {
      text.resize(start);
      throw base::ArenaLimit{ctx_.run.options.max_memory};
    }
    const std::string_view kept = arena.copy(std::string_view(text).substr(start));
    text.resize(start);
    return kept;
  }

  // A run-time problem of clause `clause` (the clauses' count: the alert's).
  void report(const ErrorInfo& e, std::size_t clause) { report(e.where->location(), e.message, clause); }
  void report(const base::Location& where, std::string_view message, std::size_t clause) {
    add_problem(unit_.problems, policy_.name, where, resources_.empty() ? std::string_view() : resources_.back()->id,
                message);
    if (tracer_) tracer_->problem(clause, where, message);
  }

  const CompiledPolicy& policy_;
  Unit& unit_;
  Context ctx_;
  Tracer* const tracer_;                              // null unless explaining
  std::vector<const model::ResourceRef*> resources_;  // resource documents bound by enclosing `for`s
};

// Computes a policy's first `for` source, as a list.
void compute_source(Run& run, Worker& w, const CompiledPolicy& policy, Source& out) {
  const CompiledClause& first = policy.clauses[0];
  Context ctx{run, w, out.arena.get(), nullptr, &policy, nullptr};
  const Worker::Budget budget = w.begin_budget(run.options.max_steps * 100);
  try {
    const Frame frame(ctx, static_cast<std::size_t>(policy.frame_size), first.expr.get());
    Value v = first.expr->eval(ctx);
    if (v.is_error()) {
      out.problem = Problem{policy.name, v.error->where->location(), "", std::string(v.error->message), 1};
    } else if (v.kind == Kind::Map) {
      Value* items = out.arena->array<Value>(v.size);
      std::size_t n = 0;
      v.each([&](const Value& e) { return items[n++] = e, true; });
      out.elements = Value::list(items, n);
    } else if (v.kind == Kind::List) {
      out.elements = v;
    } else if (!v.is_null()) {
      out.problem =
          Problem{policy.name, first.expr->location(), "",
                  std::string("`for` cannot iterate over a ") + kind_name(v.kind) + "; expected a list or a map", 1};
    }
  } catch (const BudgetExceeded& b) {
    out.problem = Problem{policy.name, b.where ? b.where->location() : first.location, "", b.message, 1};
  } catch (const base::ArenaLimit& l) {
    out.problem =
        Problem{policy.name, first.location, "", "evaluation used more than " + std::to_string(l.limit) + " bytes", 1};
  }
  w.truncate(0);
  w.restore(budget);
}

}  // namespace

EvaluationResult evaluate(const Program& program, const model::DataSet& data, base::Millis since, base::Millis until,
                          FirstSeenState* state, const Options& options) {
  // A tracer sees the bindings one at a time, in the order one thread finds them.
  const unsigned jobs = options.tracer ? 1U : std::max(1U, options.jobs);
  Run run(program, &data, since, until, state, options);
  base::ThreadPool pool(jobs);
  Workers workers(options, jobs);

  // 1. Each policy's first `for` source, once.
  std::vector<Source> sources(program.policies.size());
  pool.run(program.policies.size(), [&](std::size_t p) {
    Borrowed w(workers);
    compute_source(run, *w, program.policies[p], sources[p]);
  });

  // 2. Its elements in slices, evaluated on every thread; the slicing does not change the
  // result, only how it is shared out.
  std::vector<Unit> units;
  for (std::size_t p = 0; p < program.policies.size(); ++p) {
    const std::size_t n = sources[p].elements.size;
    const std::size_t slice = jobs == 1 ? std::max<std::size_t>(n, 1) : std::max<std::size_t>(64, n / (8 * jobs) + 1);
    for (std::size_t begin = 0; begin < n || begin == 0; begin += slice) {
      Unit& u = units.emplace_back();
      u.policy = p;
      u.begin = begin;
      u.end = std::min(n, begin + slice);
      u.where_outcomes.resize(program.policies[p].clauses.size());
      if (n == 0) break;
    }
  }
  pool.run(units.size(), [&](std::size_t i) {
    Unit& u = units[i];
    if (u.begin == u.end) return;
    Borrowed w(workers);
    PolicyRun(run, *w, program.policies[u.policy], u).run(sources[u.policy].elements);
  });

  // 3. Merged in policy order, then slice order: as one thread would have found them.
  EvaluationResult result;
  result.policies.resize(program.policies.size());
  for (std::size_t p = 0; p < program.policies.size(); ++p) {
    result.policies[p].policy = &program.policies[p];
    result.policies[p].where_outcomes.resize(program.policies[p].clauses.size());
  }
  std::vector<std::vector<Problem>> problems(program.policies.size());
  for (std::size_t p = 0; p < program.policies.size(); ++p) {
    if (sources[p].problem) problems[p].push_back(*sources[p].problem);
    result.arenas.push_back(std::move(sources[p].arena));
  }
  for (Unit& u : units) {
    PolicyResult& pr = result.policies[u.policy];
    pr.findings.insert(pr.findings.end(), u.findings.begin(), u.findings.end());
    pr.bindings += u.bindings;
    for (std::size_t c = 0; c < u.where_outcomes.size(); ++c) {
      pr.where_outcomes[c][0] += u.where_outcomes[c][0];
      pr.where_outcomes[c][1] += u.where_outcomes[c][1];
    }
    for (const Problem& pb : u.problems) {
      add_problem(problems[u.policy], pb.policy, pb.location, pb.resource, pb.message, pb.count);
    }
    if (state && !u.asked.empty()) {
      auto& asked = state->asked[program.policies[u.policy].name];
      asked.insert(u.asked.begin(), u.asked.end());
    }
    result.arenas.push_back(std::move(u.arena));
  }
  for (auto& ps : problems) result.problems.insert(result.problems.end(), ps.begin(), ps.end());
  return result;
}

}  // namespace reddalert::eval
