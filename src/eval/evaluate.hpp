// The entry point of evaluation: a compiled program against a DataSet and a window gives
// the findings of each policy. Pure: the same program, data, window and memory give the
// same findings, in the same order, whatever the number of threads.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/arena.hpp"
#include "base/source_file.hpp"
#include "base/time.hpp"
#include "eval/context.hpp"
#include "eval/program.hpp"
#include "model/dataset.hpp"

namespace reddalert::eval {

// One binding that reached the end of a policy's pipeline. Views into the result's arenas
// and into the data set, which must outlive it.
struct Finding {
  std::string_view alert_id;
  std::string_view message;
  std::string_view key;                                  // the policy's `key`, else the message
  Value details;                                         // null when the policy has no details
  std::span<const model::ResourceRef* const> resources;  // bound by the policy's `for`s, outermost first
};

struct Problem {
  std::string policy;
  base::Location location;
  std::string resource;
  std::string message;
  std::size_t count = 0;
};

struct PolicyResult {
  const CompiledPolicy* policy = nullptr;
  std::vector<Finding> findings;
  std::size_t bindings = 0;  // bindings that reached the end of the pipeline
  // Per clause: how often a `where` was false ([0]) and true ([1]); zero for other clauses.
  std::vector<std::array<std::size_t, 2>> where_outcomes;
};

struct EvaluationResult {
  std::vector<PolicyResult> policies;
  std::vector<Problem> problems;                     // one per policy and source location, in policy order
  std::vector<std::unique_ptr<base::Arena>> arenas;  // what the findings point into
};

EvaluationResult evaluate(const Program& program, const model::DataSet& data, base::Millis since, base::Millis until,
                          FirstSeenState* state, const Options& options = {});

}  // namespace reddalert::eval
