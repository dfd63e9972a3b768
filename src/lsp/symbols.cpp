#include "lsp/symbols.hpp"

#include <algorithm>

#include "lsp/locate.hpp"
#include "lsp/position.hpp"

namespace reddalert::lsp {

namespace {

// LSP 3.17 SymbolKind.
enum SymbolKind { kClass = 5, kProperty = 7, kFunction = 12, kVariable = 13, kConstant = 14 };

// From the start of the name's line to the end of `last` (a line of the same file).
nlohmann::json span(const base::Location& name, std::uint32_t last) {
  const base::SourceFile& f = *name.file;
  last = std::max(last, name.line);
  const std::uint32_t end_column = f.characters(f.line_start(last), f.line_start(last) + f.line(last).size()) + 1;
  return {{"start", position(f, name.line, 1)}, {"end", position(f, last, end_column)}};
}

nlohmann::json symbol(const std::string& name, int kind, const std::string& detail, const base::Location& at,
                      std::uint32_t last) {
  nlohmann::json s = {{"name", name}, {"kind", kind}, {"range", span(at, last)}, {"selectionRange", range(at)}};
  if (!detail.empty()) s["detail"] = detail;
  return s;
}

}  // namespace

nlohmann::json document_symbols(const Analysis& a) {
  nlohmann::json out = nlohmann::json::array();
  if (!a.module) return out;
  const ast::Module& m = a.module->module;
  std::vector<std::pair<std::size_t, nlohmann::json>> items;  // by offset, as written
  for (const auto& c : m.consts) {
    items.emplace_back(c.location.offset(), symbol(c.name, kConstant, "const", c.location, last_line(*c.value)));
  }
  for (const auto& d : m.defs) {
    items.emplace_back(d.location.offset(), symbol(d.name, kFunction, "def", d.location, last_line(*d.body)));
  }
  for (const auto& l : m.lets) {
    items.emplace_back(l.location.offset(), symbol(l.name, kVariable, "let", l.location, last_line(*l.value)));
  }
  for (const auto& p : m.policies) {
    nlohmann::json s = symbol(p.name, kClass, "policy", p.location, last_line(p));
    s["children"] = nlohmann::json::array();
    for (const auto& prm : p.params) {
      s["children"].push_back(symbol(prm.name, kProperty, "param", prm.location, last_line(*prm.value)));
    }
    for (const auto& c : p.clauses) {
      if (c.kind == ast::ClauseKind::Where) continue;
      s["children"].push_back(symbol(c.name, kVariable, c.kind == ast::ClauseKind::For ? "for" : "let", c.name_location,
                                     last_line(*c.expr)));
    }
    items.emplace_back(p.location.offset(), std::move(s));
  }
  std::stable_sort(items.begin(), items.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& [offset, s] : items) out.push_back(std::move(s));
  return out;
}

}  // namespace reddalert::lsp
