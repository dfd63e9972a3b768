// One open document run through the engine `lint` uses: its text loaded as the file at its
// path (imports read from disk beside it), with the workspace's configuration when there
// is one, checked, and what lint would print about it.
#pragma once

#include <memory>
#include <string>

#include "app/engine.hpp"
#include "base/diagnostic.hpp"

namespace reddalert::lsp {

struct Analysis {
  std::string path;
  std::string text;
  bool test_file = false;  // a `*_test.yaml` policy test file, not a policy file
  std::unique_ptr<app::Engine> engine;
  base::SourcePtr source;                       // the text as a SourceFile (the parsed module's when it parsed)
  const check::LoadedModule* module = nullptr;  // the document's module; null when it did not parse
  std::size_t module_index = 0;                 // its index in the engine's workspace
  base::Diagnostics diagnostics;                // lint's: loading, checking, compiling, suppressions applied

  const check::CheckedProgram& program() const { return engine->program(); }
  const check::Workspace& workspace() const { return engine->loaded().workspace; }
};

// The configuration `lint` would read from `root` (etc/reddalert.yaml), or empty.
std::string workspace_config(const std::string& root);

// Analyses `text` as the file `path` (absolute). `root`: the workspace folder whose
// etc/reddalert.yaml configures it.
std::shared_ptr<const Analysis> analyze(const std::string& path, const std::string& text, const std::string& root);

}  // namespace reddalert::lsp
