// What a program reads of each collection's documents: the field paths its policies can
// reach, as a projection per collection (model/projection.hpp), so that the reader keeps
// only those. A path is followed through lets, defs, lambdas, lists and maps; where a
// document is used as a value (compared, printed, converted, passed to a builtin that
// reads all of it), its whole subtree is kept. The analysis is sound by construction: an
// operation it does not model keeps its operands whole.
#pragma once

#include <set>
#include <string>

#include "check/check.hpp"
#include "eval/program.hpp"

namespace reddalert::compile {

// Sets CollectionUse::projection of every collection `program` reads, from the checked
// policies named in `only` (every policy when null).
void project(const check::CheckedProgram& checked, const std::set<std::string>* only, eval::Program& program);

}  // namespace reddalert::compile
