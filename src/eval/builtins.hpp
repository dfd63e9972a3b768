// The builtin functions of language version 1 (language.md section 5).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "eval/value.hpp"

namespace reddalert::eval {

struct Context;
class Node;

// What lint knows of a builtin's result.
enum class ResultKind { Any, Bool, Number, String, List, Map };

struct Builtin {
  const char* name;
  int min_args;
  int max_args;  // -1: any number
  // Pure builtins are folded at compile time when every argument is constant.
  bool pure;
  ResultKind result;
  Value (*fn)(Context& ctx, const Node& call, std::vector<Value>& args);
  const char* signature;  // for hints: "len(x)"
};

const Builtin* find_builtin(std::string_view name);
std::vector<std::string> builtin_names();

// Raises a run-time problem at `call` unless `v` has kind `k`.
void expect_kind(const Node& call, const Value& v, Kind k, const char* what);

}  // namespace reddalert::eval
