#include "base/tree_dump.hpp"

namespace reddalert::base {

namespace {

void write(std::string& out, const TreeDump& t, int depth, bool with_locations) {
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
  out += t.kind;
  if (!t.label.empty()) {
    out += ' ';
    out += t.label;
  }
  if (with_locations && t.location.line > 0) {
    out += " @" + std::to_string(t.location.line) + ":" + std::to_string(t.location.column);
  }
  out += '\n';
  for (const TreeDump& c : t.children) write(out, c, depth + 1, with_locations);
}

}  // namespace

std::string to_text(const TreeDump& tree, bool with_locations) {
  std::string out;
  write(out, tree, 0, with_locations);
  return out;
}

nlohmann::json to_json(const TreeDump& tree) {
  nlohmann::json j = {{"kind", tree.kind}};
  if (!tree.label.empty()) j["label"] = tree.label;
  if (tree.location.line > 0) j["line"] = tree.location.line, j["column"] = tree.location.column;
  if (!tree.children.empty()) {
    nlohmann::json children = nlohmann::json::array();
    for (const TreeDump& c : tree.children) children.push_back(to_json(c));
    j["children"] = std::move(children);
  }
  return j;
}

}  // namespace reddalert::base
