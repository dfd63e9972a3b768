#include "base/diagnostic.hpp"

#include <algorithm>
#include <sstream>
#include <tuple>

#include "base/json_text.hpp"
#include "base/text.hpp"

namespace reddalert::base {

bool is_warning_code(std::string_view code) {
  return std::find(std::begin(kWarningCodes), std::end(kWarningCodes), code) != std::end(kWarningCodes);
}

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

// Source lines longer than this many characters are shown cut around the caret.
constexpr std::size_t kShownLine = 120;
// How much of a cut line comes before the caret.
constexpr std::size_t kBeforeCaret = 40;
constexpr std::string_view kCut = "...";

// The byte index of character `n` of `s` (s.size() past its end).
std::size_t byte_of(std::string_view s, std::size_t n) {
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (n-- == 0) return i;
  }
  return i;
}

std::size_t characters_of(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void render_snippet(std::ostringstream& out, const Location& loc) {
  if (!loc.known()) return;
  const std::string_view line = loc.file->line(loc.line);
  const std::string number = std::to_string(loc.line);
  const std::string pad(number.size(), ' ');
  // Columns and lengths count characters; a tab is shown as one space (expand_tabs), so
  // each character before the caret takes one column of the terminal.
  const std::size_t chars = characters_of(line);
  std::size_t col = loc.column > 0 ? loc.column - 1 : 0;
  std::size_t width = loc.length == 0 ? 1 : loc.length;
  if (col < chars) width = std::min(width, std::max<std::size_t>(1, chars - col));
  // A long line: the kShownLine characters around the caret, with `...` where it was cut.
  std::size_t first = 0, last = chars;
  if (chars > kShownLine) {
    first = col > kBeforeCaret ? std::min(col - kBeforeCaret, chars - kShownLine) : 0;
    last = first + kShownLine;
    width = std::min(width, std::max<std::size_t>(1, last > col ? last - col : 1));
  }
  const std::string_view shown = line.substr(byte_of(line, first), byte_of(line, last) - byte_of(line, first));
  const std::string before = first > 0 ? std::string(kCut) : std::string();
  const std::string after = last < chars ? std::string(kCut) : std::string();
  out << ' ' << pad << " |\n";
  out << ' ' << number << " | " << before << expand_tabs(shown) << after << '\n';
  out << ' ' << pad << " | " << std::string(before.size() + col - first, ' ') << std::string(width, '^') << '\n';
}

// GitHub's escaping of a workflow command's message, and of its properties (`:` and `,`
// separate them).
std::string github_escape(std::string_view s, bool property) {
  std::string out;
  for (const char c : s) {
    if (c == '%')
      out += "%25";
    else if (c == '\r')
      out += "%0D";
    else if (c == '\n')
      out += "%0A";
    else if (property && c == ':')
      out += "%3A";
    else if (property && c == ',')
      out += "%2C";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string render(const Diagnostic& d, bool color) {
  const char* kind = severity_name(d.severity);
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

namespace {

// "line", "column", "end_line", "end_column" (all 0 when the place is unknown).
std::string json_span(const Location& l) {
  const bool known = l.known();
  return ",\"line\":" + std::to_string(l.line) + ",\"column\":" + std::to_string(l.column) +
         ",\"end_line\":" + std::to_string(known ? l.line : 0) +
         ",\"end_column\":" + std::to_string(known ? l.end_column() : 0);
}

}  // namespace

std::string render_json_line(const Diagnostic& d) {
  std::ostringstream out;
  out << "{\"severity\":\"" << severity_name(d.severity) << "\",\"code\":" << json_quote(d.code)
      << ",\"file\":" << json_quote(d.location.path()) << json_span(d.location)
      << ",\"message\":" << json_quote(d.message) << ",\"hint\":" << json_quote(d.hint) << ",\"notes\":[";
  for (std::size_t i = 0; i < d.notes.size(); ++i) {
    const Note& n = d.notes[i];
    out << (i ? "," : "") << "{\"file\":" << json_quote(n.location.path()) << json_span(n.location)
        << ",\"message\":" << json_quote(n.message) << '}';
  }
  out << "]}";
  return out.str();
}

std::string render_github(const Diagnostic& d) {
  std::string properties;
  if (d.location.file) properties += "file=" + github_escape(d.location.path(), true) + ",";
  if (d.location.known()) {
    properties += "line=" + std::to_string(d.location.line) + ",col=" + std::to_string(d.location.column) +
                  ",endLine=" + std::to_string(d.location.line) +
                  ",endColumn=" + std::to_string(d.location.end_column()) + ",";
  }
  properties += "title=" + github_escape(d.code, true);
  const std::string text = d.hint.empty() ? d.message : d.message + "\nhint: " + d.hint;
  return std::string("::") + severity_name(d.severity) + " " + properties + "::" + github_escape(text, false);
}

const char* severity_name(Severity s) { return s == Severity::Error ? "error" : "warning"; }

}  // namespace reddalert::base
