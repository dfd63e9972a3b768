#include "base/diagnostic.hpp"

#include <algorithm>
#include <sstream>
#include <tuple>

#include "base/json_text.hpp"
#include "base/text.hpp"

namespace reddalert::base {

void Diagnostics::error(std::string code, Location loc, std::string message, std::string hint) {
  add({Severity::Error, std::move(code), std::move(loc), std::move(message), std::move(hint), {}});
}

void Diagnostics::warning(std::string code, Location loc, std::string message, std::string hint) {
  add({Severity::Warning, std::move(code), std::move(loc), std::move(message), std::move(hint), {}});
}

void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

std::size_t Diagnostics::warning_count() const { return items_.size() - error_count(); }

std::vector<Diagnostic> Diagnostics::sorted() const {
  auto key = [](const Diagnostic& d) {
    return std::make_tuple(d.location.path(), d.location.line, d.location.column, d.code, d.message);
  };
  std::vector<Diagnostic> out = items_;
  std::stable_sort(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  out.erase(
      std::unique(out.begin(), out.end(), [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
      out.end());
  return out;
}

namespace {

void render_snippet(std::ostringstream& out, const Location& loc) {
  if (!loc.known()) return;
  const std::string_view line = loc.file->line(loc.line);
  const std::string number = std::to_string(loc.line);
  const std::string pad(number.size(), ' ');
  out << ' ' << pad << " |\n";
  out << ' ' << number << " | " << expand_tabs(line) << '\n';
  // Columns count bytes; tabs before the caret become one space, as expand_tabs does.
  const std::size_t col = loc.column > 0 ? loc.column - 1 : 0;
  std::size_t width = loc.length == 0 ? 1 : loc.length;
  if (col < line.size()) width = std::min(width, std::max<std::size_t>(1, line.size() - col));
  out << ' ' << pad << " | " << std::string(col, ' ') << std::string(width, '^') << '\n';
}

}  // namespace

std::string render(const Diagnostic& d, bool color) {
  const char* kind = d.severity == Severity::Error ? "error" : "warning";
  const char* on = color ? (d.severity == Severity::Error ? "\x1b[1;31m" : "\x1b[1;33m") : "";
  const char* off = color ? "\x1b[0m" : "";
  std::ostringstream out;
  if (d.location.known()) {
    out << d.location.str() << ": ";
  } else if (d.location.file) {
    out << d.location.path() << ": ";
  }
  out << on << kind << '[' << d.code << ']' << off << ": " << d.message << '\n';
  render_snippet(out, d.location);
  for (const Note& n : d.notes) {
    out << "  = note: " << n.message;
    if (n.location.known()) out << " at " << n.location.str();
    out << '\n';
    render_snippet(out, n.location);
  }
  if (!d.hint.empty()) out << "  = hint: " << d.hint << '\n';
  return out.str();
}

std::string render_json_line(const Diagnostic& d) {
  std::ostringstream out;
  out << "{\"severity\":\"" << (d.severity == Severity::Error ? "error" : "warning")
      << "\",\"code\":" << json_quote(d.code) << ",\"file\":" << json_quote(d.location.path())
      << ",\"line\":" << d.location.line << ",\"column\":" << d.location.column
      << ",\"message\":" << json_quote(d.message) << ",\"hint\":" << json_quote(d.hint) << ",\"notes\":[";
  for (std::size_t i = 0; i < d.notes.size(); ++i) {
    const Note& n = d.notes[i];
    out << (i ? "," : "") << "{\"file\":" << json_quote(n.location.path()) << ",\"line\":" << n.location.line
        << ",\"column\":" << n.location.column << ",\"message\":" << json_quote(n.message) << '}';
  }
  out << "]}";
  return out.str();
}

}  // namespace reddalert::base
