// A labelled tree with text and JSON renderings; the AST printer and the compiled-tree
// printer both produce one, so `reddalert parse` has one output code path.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/source_file.hpp"

namespace reddalert::base {

struct TreeDump {
  std::string kind;         // "binary", "call", "for", ...
  std::string label;        // operator, name or literal text; may be empty
  base::Location location;  // unknown for synthetic nodes
  std::vector<TreeDump> children;

  TreeDump& add(TreeDump child) {
    children.push_back(std::move(child));
    return children.back();
  }
};

// One node per line, two spaces of indent per level: `kind label @line:col`.
std::string to_text(const TreeDump& tree, bool with_locations = true);
nlohmann::json to_json(const TreeDump& tree);

}  // namespace reddalert::base
