// User-facing problems as values: collected, sorted, rendered by one renderer.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "base/source_file.hpp"

namespace reddalert::base {

enum class Severity { Error, Warning };

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

// file:line:col: error[E0101]: message, the source line, a caret, the hint and notes.
std::string render(const Diagnostic& d, bool color = false);
// {"severity","code","file","line","column","message","hint","notes":[...]} as one JSON text.
std::string render_json_line(const Diagnostic& d);

}  // namespace reddalert::base
