#include "lsp/diagnostics.hpp"

#include "lsp/definition.hpp"
#include "lsp/position.hpp"

namespace reddalert::lsp {

nlohmann::json publish_diagnostics(const std::string& uri, const Analysis& a) {
  nlohmann::json list = nlohmann::json::array();
  for (const base::Diagnostic& d : a.diagnostics.sorted()) {
    if (!d.location.known() || d.location.file->path() != a.path) continue;
    nlohmann::json item = {{"range", range(d.location)},
                           // LSP 3.17 DiagnosticSeverity: Error 1, Warning 2.
                           {"severity", d.severity == base::Severity::Error ? 1 : 2},
                           {"code", d.code},
                           {"source", "reddalert"},
                           {"message", d.hint.empty() ? d.message : d.message + "\nhint: " + d.hint}};
    nlohmann::json related = nlohmann::json::array();
    for (const base::Note& n : d.notes) {
      if (n.location.known()) related.push_back({{"location", location_json(n.location)}, {"message", n.message}});
    }
    if (!related.empty()) item["relatedInformation"] = std::move(related);
    list.push_back(std::move(item));
  }
  return {{"uri", uri}, {"diagnostics", std::move(list)}};
}

}  // namespace reddalert::lsp
