#include "lsp/formatting.hpp"

#include "format/format.hpp"
#include "lsp/position.hpp"

namespace reddalert::lsp {

nlohmann::json formatting(const std::string& path, const std::string& text) {
  nlohmann::json edits = nlohmann::json::array();
  const auto file = std::make_shared<base::SourceFile>(path, text);
  const format::FormatResult r = format::format(file);
  if (!r.text || *r.text == text) return edits;
  edits.push_back({{"range", whole_range(*file)}, {"newText", *r.text}});
  return edits;
}

}  // namespace reddalert::lsp
