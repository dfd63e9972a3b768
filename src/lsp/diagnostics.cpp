#include "lsp/diagnostics.hpp"

#include "lsp/definition.hpp"
#include "lsp/position.hpp"

namespace reddalert::lsp {

nlohmann::json publish_diagnostics(const std::string& uri, const Analysis& a) {
  nlohmann::json list = nlohmann::json::array();
  const auto here = [&](const base::Location& at) { return at.known() && at.file->path() == a.path; };
  for (const base::Diagnostic& d : a.diagnostics.sorted()) {
    // A diagnostic of another file with a note here (a configured param of the wrong type,
    // E0117, is reported at the configuration line with a note at the `param`) is shown
    // at the note, since the document is what the author has open.
    const base::Location* at = here(d.location) ? &d.location : nullptr;
    for (const base::Note& n : d.notes) {
      if (!at && here(n.location)) at = &n.location;
    }
    if (!at) continue;
    std::string message = d.hint.empty() ? d.message : d.message + "\nhint: " + d.hint;
    if (at != &d.location) message += "\n(reported at " + d.location.str() + ")";
    nlohmann::json item = {{"range", range(*at)},
                           // LSP 3.17 DiagnosticSeverity: Error 1, Warning 2.
                           {"severity", d.severity == base::Severity::Error ? 1 : 2},
                           {"code", d.code},
                           {"source", "reddalert"},
                           {"message", message}};
    nlohmann::json related = nlohmann::json::array();
    if (at != &d.location && d.location.known()) {
      related.push_back({{"location", location_json(d.location)}, {"message", "reported here"}});
    }
    for (const base::Note& n : d.notes) {
      if (n.location.known()) related.push_back({{"location", location_json(n.location)}, {"message", n.message}});
    }
    if (!related.empty()) item["relatedInformation"] = std::move(related);
    list.push_back(std::move(item));
  }
  return {{"uri", uri}, {"diagnostics", std::move(list)}};
}

}  // namespace reddalert::lsp
