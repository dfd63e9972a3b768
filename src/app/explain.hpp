// `reddalert explain` and `reddalert eval`: one policy, or one expression, evaluated on the
// data with its trace (eval/trace.hpp) by the engine `check` uses, compiled with trace nodes
// (compile::CompileOptions::trace) so the run pays for tracing only here.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "app/check_run.hpp"
#include "app/one_off.hpp"

namespace reddalert::app {

struct ExplainOptions {
  std::string policy;              // a policy's name, or a .policy file (each policy it declares)
  std::vector<std::string> paths;  // where the named policy is; empty: the configuration's, else ./policies
  std::string config_path;         // its params apply, as in `check`
  std::string id;                  // only the bindings whose alert id or a resource id is this
  OneOffRequest data;
  std::string format = "text";     // text, json
  std::size_t max_bindings = 100;  // per policy; the others are counted
};

// Exit 0: explained; 1: `id` matched no binding (each policy says why); 2: the policy is
// unknown or does not load, or the data cannot be read; 6: the source lacks a collection.
int run_explain(const ExplainOptions& options, std::ostream& out, std::ostream& err, const World& world = {});

struct EvalOptions {
  std::string expression;
  std::vector<std::string> imports;  // files whose names the expression may use, below the current directory
  OneOffRequest data;
  std::string format = "text";  // text (the value as indented JSON), json
};

// Exit 0: the value is printed; 2: the expression does not lint (its diagnostics, with carets
// into it) or the data cannot be read; 5: evaluating it is a run-time problem.
int run_eval(const EvalOptions& options, std::ostream& out, std::ostream& err, const World& world = {});

}  // namespace reddalert::app
