// The diagnostic for a failed parse. The grammar stays the language as documented; the
// mistakes named here are recognised afterwards, from the facts the parser collected and the
// text at the error point, so no wrong input ever parses.
#include "syntax/explain.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "base/text.hpp"
#include "grammar/errors.hpp"
#include "syntax/tree.hpp"

namespace reddalert::syntax {

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string_view word_at(std::string_view rest) {
  std::size_t n = 0;
  while (n < rest.size() && word_char(rest[n])) ++n;
  return rest.substr(0, n);
}

std::string describe_found(std::string_view rest) {
  if (rest.empty()) return "end of file";
  const char c = rest[0];
  if (c == '\n' || c == '\r') return "end of line";
  const std::string_view word = word_at(rest);
  return "`" + std::string(word.empty() ? rest.substr(0, 1) : word) + "`";
}

std::string expected_list(std::vector<std::string> names) {
  names.erase(std::remove(names.begin(), names.end(), "valid syntax"), names.end());
  // Operators come last: they are possible after almost any operand.
  std::stable_partition(names.begin(), names.end(), [](const std::string& n) { return n != "an operator"; });
  if (names.empty()) return "valid syntax";
  if (names.size() == 1) return names[0];
  std::vector<std::string> head(names.begin(), names.end() - 1);
  return base::join(head, ", ") + " or " + names.back();
}

}  // namespace

base::Diagnostic explain(const base::SourcePtr& file, const Failure& f) {
  const std::string& text = file->text();
  const std::size_t at =
      std::min(f.furthest != nullptr ? static_cast<std::size_t>(f.furthest - text.data()) : 0, text.size());
  const std::string_view rest = std::string_view(text).substr(at);
  const std::string found = describe_found(rest);
  base::Diagnostic d;
  d.location = base::location_at(file, at);
  if (f.too_deep) return too_deep(d.location);
  if (f.raised_in_header) {
    d.code = "E0002";
    d.message = "missing language header: expected `reddalert 1` before " + found;
    d.hint = "the first line that is not a comment must be `reddalert 1` (supported versions: 1)";
    return d;
  }
  d.code = "E0001";
  d.message = "syntax error: expected " + expected_list(f.expected) + ", found " + found;
  if (f.raised_shape != nullptr) d.hint = f.raised_shape;
  return d;
}

}  // namespace reddalert::syntax
