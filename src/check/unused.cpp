// Declarations nobody uses: params (W0205), imports (W0206), and constants, defs and
// top-level lets (W0207). What is used is read off the checked program's references.
#include <algorithm>

#include "check/checker.hpp"

namespace reddalert::check::detail {

std::size_t Checker::module_of(ast::NodeId id) const {
  // Modules number their nodes in load order, each a range [first_id, end_id).
  const auto it = std::upper_bound(ws_.modules.begin(), ws_.modules.end(), id,
                                   [](ast::NodeId i, const LoadedModule& m) { return i < m.module.first_id; });
  return static_cast<std::size_t>(std::distance(ws_.modules.begin(), it)) - 1;
}

void Checker::warn_unused_params() {
  for (const ast::Policy* p : out_.program.policies) {
    for (const ast::Param& prm : p->params) {
      if (params_used_.contains(&prm) || prm.name[0] == '_') continue;
      diags_.warning("W0205", prm.location, "param `" + prm.name + "` of policy `" + p->name + "` is never used",
                     "remove it (and its setting in the configuration), or name it `_" + prm.name + "`");
    }
  }
}

namespace {

// The node id of the declaration a reference names, for the kinds that are declarations.
std::optional<ast::NodeId> declaration_of(const CheckedProgram& program, const Ref& r) {
  const auto i = static_cast<std::size_t>(r.index);
  switch (r.kind) {
    case Ref::Kind::Const: return i < program.consts.size() ? std::optional(program.consts[i]->id) : std::nullopt;
    case Ref::Kind::Def: return i < program.defs.size() ? std::optional(program.defs[i]->id) : std::nullopt;
    case Ref::Kind::Let: return i < program.lets.size() ? std::optional(program.lets[i]->id) : std::nullopt;
    default: return std::nullopt;
  }
}

}  // namespace

void Checker::warn_unused_imports() {
  for (std::size_t m = 0; m < ws_.modules.size(); ++m) {
    const LoadedModule& mod = ws_.modules[m];
    std::set<std::size_t> read;  // the files whose declarations this one uses
    for (ast::NodeId id = mod.module.first_id; id < mod.module.end_id; ++id) {
      if (const auto decl = declaration_of(out_.program, out_.program.refs[id])) read.insert(module_of(*decl));
    }
    for (const ResolvedImport& imp : mod.imports) {
      // A file that declares no names can only be imported for its policies: that import
      // loads them, which is a use.
      if (read.contains(imp.module) || scopes_[imp.module].empty()) continue;
      const std::string& path = ws_.modules[imp.module].module.source->path();
      diags_.warning("W0206", imp.location, "no name that " + path + " declares is used in this file",
                     "remove the import: imports are not transitive, so its names serve only this file");
    }
  }
}

void Checker::warn_unused_globals() {
  std::set<ast::NodeId> used;
  for (const Ref& r : out_.program.refs) {
    if (const auto decl = declaration_of(out_.program, r)) used.insert(*decl);
  }
  // Whether every user of a file's declarations is loaded (language.md, "Unused
  // declarations"): a file with policies that no loaded file imports, named or found; a
  // file found below a directory named on the command line that is imported by a file
  // found below the same directory (that tree is loaded whole). A library named alone, or
  // beside a few of its importers (a pre-commit hook's changed files), is an API whose
  // other users are not loaded; a file loaded only through an import is seen through its
  // importer alone.
  std::vector<bool> imported(ws_.modules.size(), false), imported_from_its_tree(ws_.modules.size(), false);
  for (const LoadedModule& mod : ws_.modules) {
    for (const ResolvedImport& imp : mod.imports) {
      imported[imp.module] = true;
      const int tree = ws_.modules[imp.module].found_below;
      if (tree >= 0 && mod.found_below == tree) imported_from_its_tree[imp.module] = true;
    }
  }
  for (std::size_t m = 0; m < ws_.modules.size(); ++m) {
    const LoadedModule& mod = ws_.modules[m];
    const bool all_users_loaded =
        imported[m] ? imported_from_its_tree[m] : mod.explicitly_loaded && !mod.module.policies.empty();
    if (!all_users_loaded) continue;
    const auto warn = [&](const char* what, ast::NodeId id, const std::string& name, const Location& at) {
      if (used.contains(id) || name[0] == '_') return;
      diags_.warning("W0207", at,
                     std::string(what) + " `" + name + "` is never used" +
                         (imported[m] ? " by this file or the files that import it" : ""),
                     "remove it, or name it `_" + name + "`");
    };
    for (const auto& c : mod.module.consts) warn("const", c.id, c.name, c.location);
    for (const auto& d : mod.module.defs) warn("def", d.id, d.name, d.location);
    for (const auto& l : mod.module.lets) warn("let", l.id, l.name, l.location);
  }
}

}  // namespace reddalert::check::detail
