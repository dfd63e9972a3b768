// The AST as a TreeDump, for `reddalert parse`, golden tests and policy fingerprints.
#pragma once

#include "ast/ast.hpp"
#include "base/tree_dump.hpp"

namespace reddalert::ast {

using base::TreeDump;

TreeDump dump(const Expr& e);
TreeDump dump(const Policy& p);
TreeDump dump(const Module& m);

}  // namespace reddalert::ast
