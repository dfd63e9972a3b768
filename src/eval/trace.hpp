// What `explain` and `eval` see of an evaluation: per binding of a policy, the element
// each `for` bound, each `let`'s value, each `where`'s result with the values of its
// sub-expressions, and how the binding ended. The evaluator calls a Tracer only when
// Options::tracer is set, and sub-expression values exist only in a program compiled with
// CompileOptions::trace (TraceNode wraps them there): a normal run pays nothing for this.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/source_file.hpp"
#include "eval/value.hpp"

namespace reddalert::eval {

struct TracedValue {
  base::Location at;  // where the caret of the sub-expression goes (an operator, a name's start)
  std::string json;   // compact JSON text, possibly cut (TraceOptions::max_value_bytes)
};

struct TraceStep {
  std::size_t clause = 0;          // index into the policy's clauses
  std::string value;               // for: the element bound; let: its value; where: its result
  std::vector<TracedValue> parts;  // where: sub-expression values, one per caret position
};

struct TraceBinding {
  enum class Outcome {
    Alert,    // reached the end of the pipeline
    Dropped,  // a `where` was false (`at`)
    Empty,    // a `for` after the first had nothing to bind (`at`)
    Problem,  // a run-time problem (`at` is the clause, `problem` the message)
  };
  std::vector<TraceStep> steps;
  Outcome outcome = Outcome::Alert;
  std::size_t at = 0;
  std::string alert_id, message;       // Alert
  std::string problem;                 // Problem
  base::Location problem_at;           // Problem
  std::vector<std::string> resources;  // ids of the resource documents bound, outermost first
};

struct TraceOptions {
  std::string id;                   // keep only bindings whose alert id or a resource id is this; empty: all
  std::size_t max_bindings = 100;   // kept; the others are counted
  std::size_t max_value_bytes = 0;  // a value's JSON text is cut past this many bytes; 0: never
};

// Collects the bindings of one policy's evaluation (the evaluator traces single-threaded).
class Tracer {
 public:
  explicit Tracer(TraceOptions options) : options_(std::move(options)) {}

  // ---- called by the evaluator ----------------------------------------------------------
  void begin_clause() { parts_.clear(); }
  void value(const base::Location& at, const Value& v);  // a TraceNode's value
  void push(std::size_t clause, const Value& v, const std::string_view* resource);
  void pop(bool resource);
  // The binding on the stack ended: kept when it matches, counted either way.
  void finish(TraceBinding::Outcome outcome, std::size_t at, std::string alert_id = {}, std::string message = {});
  void problem(std::size_t at, const base::Location& where, std::string_view message);

  // ---- read after the evaluation ---------------------------------------------------------
  const std::vector<TraceBinding>& bindings() const { return kept_; }
  std::size_t matched() const { return matched_; }  // bindings that matched, kept or not
  std::size_t total() const { return total_; }      // every binding the policy had

 private:
  std::string text(const Value& v) const;
  bool matches(const TraceBinding& b) const;

  TraceOptions options_;
  std::vector<TracedValue> parts_;  // of the clause being evaluated
  TraceBinding current_;            // its steps are the stack of the clauses being run
  std::vector<TraceBinding> kept_;
  std::size_t matched_ = 0, total_ = 0;
};

}  // namespace reddalert::eval
