// Loading (files, imports) and checking (names, types, schemas, lint rules) of policies.
// The result feeds compile/; all user errors are Diagnostics.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ast/ast.hpp"
#include "base/diagnostic.hpp"
#include "check/types.hpp"

namespace reddalert::check {

// The severities a policy may declare, lowest first (language.md, "Metadata"): `check
// --severity` and `--fail-on` compare by this order.
inline constexpr const char* kSeverities[] = {"info", "low", "medium", "high", "critical"};

// An import statement whose file was loaded.
struct ResolvedImport {
  std::size_t module;       // index into Workspace::modules
  base::Location location;  // the `import` statement
};

struct LoadedModule {
  ast::Module module;
  std::vector<ResolvedImport> imports;
  bool explicitly_loaded = false;  // named on the command line or found in a directory
  // The directory named on the command line it was found below (its index in `paths`), or -1.
  int found_below = -1;
  // One of its imports could not be loaded (unreadable, outside the root, a syntax error):
  // the names it would have brought are unknown, and not reported as such.
  bool import_failed = false;
};

struct Workspace {
  std::vector<LoadedModule> modules;  // each file once, in load order
  ast::NodeId node_count = 0;         // node ids are [0, node_count) over all modules
  base::Diagnostics diagnostics;
};

// Loads every `.policy` file named or found (recursively, sorted) below `paths`, and the
// files they import. Missing paths, unreadable files and import cycles are diagnostics.
// Every file read must resolve (symlinks followed) inside its policy root, which is that of
// the entry of `paths` it was named as or found below: the widest of `policy_dirs` (the
// policy tree: the configuration's `policies:`, else ./policies) that holds the entry;
// for an entry in none of them, the directory named, or the directory of a file named. An
// import may also resolve inside one of `import_paths` (the configuration's). So a policy
// cannot make reddalert read, and print in a diagnostic, a file outside the policy tree.
Workspace load(const std::vector<std::string>& paths, const std::vector<std::string>& import_paths = {},
               const std::vector<std::string>& policy_dirs = {});
// One file from text (tests, documentation examples, the language server); imports resolve
// relative to `path`, inside its root as load() decides it.
Workspace load_text(const std::string& path, const std::string& text, const std::vector<std::string>& import_paths = {},
                    const std::vector<std::string>& policy_dirs = {});

// What a name or call refers to.
struct Ref {
  enum class Kind { None, Local, Const, Let, Param, Def, Builtin, Now, Since } kind = Kind::None;
  int index = -1;  // slot (Local), const/let/def index, param index in its policy
  std::string name;
};

// Param overrides from configuration: policy -> param -> value, with where it came from.
struct ParamOverride {
  nlohmann::json value;
  base::Location location;  // the config file line
};
using ParamOverrides = std::map<std::string, std::map<std::string, ParamOverride>>;

// Side tables of the checked program, indexed by node id (ast::NodeId).
struct CheckedProgram {
  const Workspace* workspace = nullptr;
  std::vector<const ast::Const*> consts;
  std::vector<const ast::Def*> defs;
  std::vector<const ast::Let*> lets;
  std::vector<const ast::Policy*> policies;  // every policy loaded, in load order
  std::vector<Ref> refs;                     // Name and Call expressions
  std::vector<int> slots;        // binders (clauses, quantifiers, comprehensions, lambdas, projections); -1: none
  std::vector<int> frame_sizes;  // policies, defs, lets, consts; 0: none
  std::vector<std::vector<int>> captures;         // lambdas: the enclosing frame's slots their body reads
  std::vector<std::string> previous_collections;  // previous() calls whose argument's collection is known
  // `where` clauses made only of literals and constants: the compiler, which computes them,
  // warns that they always keep or always drop the binding (W0208).
  std::set<ast::NodeId> constant_conditions;
  ParamOverrides overrides;
  // What the language server (src/lsp/) shows and completes, recorded while checking so
  // nothing is inferred twice: each expression's type (by node id; unknown for those not
  // checked), and for each Name bound to a local (Ref::Kind::Local) where its binder is.
  std::vector<Type> types;
  std::vector<base::Location> binders;

  const Ref& ref(const ast::Expr& e) const { return refs[e.id]; }
  int slot(ast::NodeId binder) const { return slots[binder]; }
  int frame_size(ast::NodeId owner) const { return frame_sizes[owner]; }
};

struct CheckResult {
  CheckedProgram program;
  base::Diagnostics diagnostics;
};

CheckResult check(const Workspace& workspace, const ParamOverrides& overrides = {});

}  // namespace reddalert::check
