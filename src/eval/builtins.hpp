// The implementations of the builtins whose signatures lang/builtins.hpp lists.
#pragma once

#include <span>

#include "eval/value.hpp"
#include "lang/builtins.hpp"

namespace reddalert::eval {

struct Context;
class Node;

// Arguments are evaluated (and never errors) when a builtin is called.
using Args = std::span<const Value>;
using BuiltinFn = Value (*)(Context& ctx, const Node& call, Args args);

BuiltinFn builtin_function(lang::BuiltinId id);

}  // namespace reddalert::eval
