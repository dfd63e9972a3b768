// User-facing problems as values: collected, sorted, rendered by one renderer.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/source_file.hpp"

namespace reddalert::base {

enum class Severity { Error, Warning };

// Every warning code (docs/language.md, section 14): the codes a suppression comment and
// the configuration's `lint:` may name. Errors are not here: they make a policy unusable,
// and neither may silence them. `run.py --codes` (ctest cli_codes_have_cases) checks that
// each warning code in the sources is listed.
inline constexpr std::string_view kWarningCodes[] = {"W0201", "W0203", "W0204", "W0205", "W0206", "W0207",
                                                     "W0208", "W0209", "W0403", "W0414", "W0510"};
bool is_warning_code(std::string_view code);

struct Note {
  Location location;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;  // stable, e.g. "E0101"; the table is in docs/language.md
  Location location;
  std::string message;
  std::string hint;         // empty when there is none
  std::vector<Note> notes;  // other places involved, e.g. the first definition
};

class Diagnostics {
 public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void error(std::string code, Location loc, std::string message, std::string hint = {});
  void warning(std::string code, Location loc, std::string message, std::string hint = {});
  void append(const Diagnostics& other);

  bool has_errors() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  bool empty() const { return items_.empty(); }
  // Sorted by file, line, column, then code; exact duplicates removed.
  std::vector<Diagnostic> sorted() const;
  const std::vector<Diagnostic>& items() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
};

// "error" or "warning".
const char* severity_name(Severity s);

// file:line:col: error[E0101]: message, the source line (cut around the caret past 120
// characters), a caret, the hint and notes.
std::string render(const Diagnostic& d, bool color = false);
// {"severity","code","file","line","column","end_line","end_column","message","hint",
// "notes":[...]} as one JSON text; end_column is the column after the span, as in SARIF.
std::string render_json_line(const Diagnostic& d);
// A GitHub Actions workflow command (`::error file=F,line=L,...,title=CODE::message`) that
// annotates the place; the hint follows the message on its own line.
std::string render_github(const Diagnostic& d);

}  // namespace reddalert::base
