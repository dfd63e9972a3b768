// Loading (files, imports) and checking (names, types, schemas, lint rules) of policies.
// The result feeds compile/; all user errors are Diagnostics.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "ast/ast.hpp"
#include "base/diagnostic.hpp"
#include "eval/value.hpp"

namespace reddalert::check {

struct LoadedModule {
  ast::Module module;
  std::vector<std::size_t> imports;  // indices into Workspace::modules
  bool explicitly_loaded = false;    // named on the command line or found in a directory
};

struct Workspace {
  std::vector<LoadedModule> modules;  // each file once, in load order
  base::Diagnostics diagnostics;
};

// Loads every `.policy` file named or found (recursively, sorted) below `paths`, and the
// files they import. Missing paths, unreadable files and import cycles are diagnostics.
Workspace load(const std::vector<std::string>& paths);
// One file from text (tests, documentation examples); imports resolve relative to `path`.
Workspace load_text(const std::string& path, const std::string& text);

// What a name or call refers to.
struct Ref {
  enum class Kind { Local, Const, Let, Param, Def, Builtin, Now, Since } kind;
  int index = -1;  // slot (Local), const/let/def index, param index in its policy
  std::string name;
};

// Param overrides from configuration: policy -> param -> value, with where it came from.
struct ParamOverride {
  eval::Value value;
  base::Location location;  // the config file line
};
using ParamOverrides = std::map<std::string, std::map<std::string, ParamOverride>>;

struct CheckedProgram {
  const Workspace* workspace = nullptr;
  std::vector<const ast::Const*> consts;
  std::vector<const ast::Def*> defs;
  std::vector<const ast::Let*> lets;
  std::vector<const ast::Policy*> policies;        // every policy loaded, in load order
  std::unordered_map<const ast::Expr*, Ref> refs;  // Name and Call expressions
  std::unordered_map<const void*, int> slots;  // binders: clauses, quantifiers, comprehensions, lambdas, projections
  std::unordered_map<const void*, int> frame_sizes;  // policies, defs, lets
  std::unordered_map<const ast::Expr*, std::string>
      previous_collections;  // previous() calls whose argument type is known
  ParamOverrides overrides;
};

struct CheckResult {
  CheckedProgram program;
  base::Diagnostics diagnostics;
};

CheckResult check(const Workspace& workspace, const ParamOverrides& overrides = {});

}  // namespace reddalert::check
