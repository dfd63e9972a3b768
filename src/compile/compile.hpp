// Checked AST -> evaluation tree: names resolved to slots, constants folded, regexes
// compiled, constant `in` and `within` lists turned into sorted interval sets, joins
// planned as hash indexes (compile/planner.hpp); and what each collection's documents
// must keep (compile/reads.hpp).
#pragma once

#include <set>
#include <string>

#include "base/diagnostic.hpp"
#include "check/check.hpp"
#include "eval/program.hpp"

namespace reddalert::compile {

struct CompileResult {
  eval::Program program;
  base::Diagnostics diagnostics;
};

struct CompileOptions {
  bool plan_joins = true;  // filters of a run-constant source by a lookup use a hash index
  bool project = true;     // documents keep only what the policies read; false: whole documents
  // `explain`: each sub-expression of a `where` (not inside a quantifier's, comprehension's
  // or lambda's body, nor in the defs and lets it calls) reports its value to the run's
  // tracer (eval/trace.hpp). Off, the program has no trace node at all.
  bool trace = false;
};

// Compiles the policies named in `only` (every policy when null) and what they use, with
// `overrides` for param values (the checked program's own when null).
CompileResult compile(const check::CheckedProgram& checked, const std::set<std::string>* only = nullptr,
                      const check::ParamOverrides* overrides = nullptr, const CompileOptions& options = {});

// Every policy's params and metadata (title, severity, tags, ...) computed as `compile`
// computes them, and nothing of its clauses (they are left empty): what selecting policies
// by tag reads. A value that cannot be computed keeps its default, with its diagnostic.
CompileResult metadata(const check::CheckedProgram& checked, const check::ParamOverrides* overrides = nullptr);

}  // namespace reddalert::compile
