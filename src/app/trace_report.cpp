#include "app/trace_report.hpp"

#include <algorithm>

#include "base/time.hpp"

namespace reddalert::app {

namespace {

using Cells = std::vector<std::string>;  // one character (its UTF-8 bytes) per cell

Cells cells(std::string_view s) {
  Cells out;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) == 0x80 && !out.empty()) {
      out.back() += c;
    } else {
      out.emplace_back(1, c);
    }
  }
  return out;
}

std::string text(const Cells& row) {
  std::string out;
  for (const std::string& c : row) out += c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// `value` in at most `width` characters.
std::string abbreviated(const std::string& value, std::size_t width) {
  Cells c = cells(value);
  if (c.size() <= width) return value;
  c.resize(width > 0 ? width - 1 : 0);
  return text(c) + "…";
}

// The line's characters from `column` (1-based) on, when those before are blanks.
std::string shown_from(std::string_view line, std::uint32_t column) {
  const Cells c = cells(line);
  std::size_t skip = 0;
  while (skip + 1 < column && skip < c.size() && c[skip] == " ") ++skip;
  return text(Cells(c.begin() + static_cast<std::ptrdiff_t>(skip), c.end()));
}

bool blank_or_comment(std::string_view line) {
  const std::size_t i = line.find_first_not_of(" \t");
  return i == std::string_view::npos || line[i] == '#';
}

// The lines of clause `i`: from its keyword to the line before the next clause (or the
// alert), without the blank and comment lines that end that span.
std::pair<std::uint32_t, std::uint32_t> clause_lines(const eval::CompiledPolicy& p, std::size_t i) {
  const base::Location& at = p.clauses[i].location;
  const std::uint32_t next = i + 1 < p.clauses.size() ? p.clauses[i + 1].location.line : p.alert->location().line;
  std::uint32_t last = next > at.line ? next - 1 : at.line;
  while (last > at.line && blank_or_comment(at.file->line(last))) --last;
  return {at.line, last};
}

const char* kind_name(eval::CompiledClause::Kind k) {
  switch (k) {
    case eval::CompiledClause::Kind::For: return "for";
    case eval::CompiledClause::Kind::Let: return "let";
    case eval::CompiledClause::Kind::Where: return "where";
  }
  return "where";
}

const char* outcome_name(eval::TraceBinding::Outcome o) {
  switch (o) {
    case eval::TraceBinding::Outcome::Alert: return "alert";
    case eval::TraceBinding::Outcome::Dropped: return "dropped";
    case eval::TraceBinding::Outcome::Empty: return "empty";
    case eval::TraceBinding::Outcome::Problem: return "problem";
  }
  return "problem";
}

// What ended the binding, in a sentence.
std::string ending(const eval::CompiledPolicy& p, const eval::TraceBinding& b) {
  const auto line = [&](std::size_t clause) {
    return clause < p.clauses.size() ? "line " + std::to_string(p.clauses[clause].location.line)
                                     : std::string("the alert");
  };
  switch (b.outcome) {
    case eval::TraceBinding::Outcome::Alert: return "alert " + b.alert_id + ": " + b.message;
    case eval::TraceBinding::Outcome::Dropped: return "dropped by the `where` at " + line(b.at);
    case eval::TraceBinding::Outcome::Empty: return "the `for` at " + line(b.at) + " had nothing to bind";
    case eval::TraceBinding::Outcome::Problem: return "run-time problem at " + b.problem_at.str() + ": " + b.problem;
  }
  return {};
}

void write_step(const eval::CompiledPolicy& p, const eval::TraceStep& s, std::ostream& out, std::size_t width) {
  if (s.clause >= p.clauses.size()) return;  // a problem of the alert: the ending says it
  const eval::CompiledClause& c = p.clauses[s.clause];
  const auto [first, last] = clause_lines(p, s.clause);
  if (c.kind == eval::CompiledClause::Kind::Where) {
    std::vector<std::string> lines = power_assert(*c.location.file, first, last, c.location.column, s.parts, width);
    if (!s.value.empty() && !lines.empty()) lines[0] += "    -> " + abbreviated(s.value, width);
    for (const std::string& l : lines) out << "  " << l << '\n';
    return;
  }
  for (std::uint32_t l = first; l <= last; ++l)
    out << "  " << shown_from(c.location.file->line(l), c.location.column) << '\n';
  if (!s.value.empty()) out << "      " << c.name << " = " << abbreviated(s.value, width) << '\n';
}

}  // namespace

nlohmann::json trace_value_json(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  return j.is_discarded() ? nlohmann::json(text) : j;
}

std::vector<std::string> power_assert(const base::SourceFile& file, std::uint32_t first, std::uint32_t last,
                                      std::uint32_t column, const std::vector<eval::TracedValue>& parts,
                                      std::size_t width) {
  std::vector<std::string> out;
  const std::uint32_t shift = column > 0 ? column - 1 : 0;
  for (std::uint32_t line = first; line <= last; ++line) {
    out.push_back(shown_from(file.line(line), column));
    std::vector<std::pair<std::size_t, std::string>> here;  // column from 0 in the shown line, value
    for (const eval::TracedValue& v : parts) {
      if (v.at.line != line || v.at.column <= shift) continue;
      here.emplace_back(v.at.column - 1 - shift, abbreviated(v.json, width));
    }
    if (here.empty()) continue;
    std::sort(here.begin(), here.end());
    std::vector<Cells> rows(1);
    auto cell = [&](std::size_t row, std::size_t col) -> std::string& {
      if (rows.size() <= row) rows.resize(row + 1);
      if (rows[row].size() <= col) rows[row].resize(col + 1, " ");
      return rows[row][col];
    };
    auto free = [&](std::size_t row, std::size_t from, std::size_t n) {
      if (row >= rows.size()) return true;
      for (std::size_t c = from; c < from + n && c < rows[row].size(); ++c) {
        if (rows[row][c] != " ") return false;
      }
      return true;
    };
    for (const auto& [col, value] : here) cell(0, col) = "|";
    for (auto it = here.rbegin(); it != here.rend(); ++it) {
      const Cells v = cells(it->second);
      std::size_t row = 1;
      while (!free(row, it->first, v.size() + 1)) ++row;  // one blank after the value
      for (std::size_t r = 1; r < row; ++r) cell(r, it->first) = "|";
      for (std::size_t k = 0; k < v.size(); ++k) cell(row, it->first + k) = v[k];
    }
    for (const Cells& r : rows) out.push_back(text(r));
  }
  return out;
}

void write_trace_text(const PolicyTrace& t, std::ostream& out, std::size_t width) {
  const eval::CompiledPolicy& p = *t.policy;
  out << p.name << " (" << p.location.str() << "), window " << base::iso8601(t.window.since) << " .. "
      << base::iso8601(t.window.until) << '\n';
  if (!t.not_evaluated.empty()) {
    out << "  not evaluated: " << t.not_evaluated << '\n';
    return;
  }
  out << "  " << t.total << " binding(s)";
  if (!t.id.empty()) out << ", " << t.matched << " with id " << t.id;
  out << '\n';
  for (const eval::Problem& pb : t.problems) {
    out << "  run-time problem at " << pb.location.str() << (pb.resource.empty() ? "" : " (" + pb.resource + ")")
        << ": " << pb.message << (pb.count > 1 ? " (" + std::to_string(pb.count) + " times)" : "") << '\n';
  }
  for (const std::string& why : t.why_none) out << "  " << why << '\n';
  std::size_t n = 0;
  for (const eval::TraceBinding& b : t.bindings) {
    out << "\nbinding " << ++n;
    if (!b.resources.empty()) {
      out << " (";
      for (std::size_t i = 0; i < b.resources.size(); ++i) out << (i ? ", " : "") << b.resources[i];
      out << ')';
    }
    out << ": " << outcome_name(b.outcome) << '\n';
    for (const eval::TraceStep& s : b.steps) write_step(p, s, out, width);
    out << "  => " << ending(p, b) << '\n';
  }
  if (t.matched > t.bindings.size()) {
    out << "\n"
        << t.matched - t.bindings.size() << " more binding(s) not shown (--max-bindings, or narrow with --id)\n";
  }
}

nlohmann::json trace_json(const PolicyTrace& t) {
  const eval::CompiledPolicy& p = *t.policy;
  nlohmann::json j = {{"policy", p.name},
                      {"file", p.location.path()},
                      {"line", p.location.line},
                      {"window", {{"since", base::iso8601(t.window.since)}, {"until", base::iso8601(t.window.until)}}},
                      {"id", t.id.empty() ? nlohmann::json() : nlohmann::json(t.id)},
                      {"bindings_total", t.total},
                      {"bindings_matched", t.matched},
                      {"not_evaluated", t.not_evaluated.empty() ? nlohmann::json() : nlohmann::json(t.not_evaluated)},
                      {"why_none", t.why_none}};
  nlohmann::json problems = nlohmann::json::array();
  for (const eval::Problem& pb : t.problems) {
    problems.push_back({{"file", pb.location.path()},
                        {"line", pb.location.line},
                        {"column", pb.location.column},
                        {"resource", pb.resource},
                        {"message", pb.message},
                        {"count", pb.count}});
  }
  j["problems"] = problems;
  nlohmann::json bindings = nlohmann::json::array();
  for (const eval::TraceBinding& b : t.bindings) {
    nlohmann::json steps = nlohmann::json::array();
    for (const eval::TraceStep& s : b.steps) {
      if (s.clause >= p.clauses.size()) continue;
      const eval::CompiledClause& c = p.clauses[s.clause];
      nlohmann::json step = {{"kind", kind_name(c.kind)},
                             {"line", c.location.line},
                             {"text", shown_from(c.location.file->line(c.location.line), c.location.column)}};
      if (!c.name.empty()) step["name"] = c.name;
      if (!s.value.empty()) step["value"] = trace_value_json(s.value);
      if (c.kind == eval::CompiledClause::Kind::Where) {
        nlohmann::json parts = nlohmann::json::array();
        for (const eval::TracedValue& v : s.parts) {
          parts.push_back({{"line", v.at.line}, {"column", v.at.column}, {"value", trace_value_json(v.json)}});
        }
        step["parts"] = parts;
      }
      steps.push_back(step);
    }
    nlohmann::json one = {{"outcome", outcome_name(b.outcome)}, {"resources", b.resources}, {"steps", steps}};
    if (b.outcome == eval::TraceBinding::Outcome::Alert) {
      one["alert"] = {{"id", b.alert_id}, {"message", b.message}};
    } else if (b.at < p.clauses.size()) {
      one["clause_line"] = p.clauses[b.at].location.line;
    }
    if (b.outcome == eval::TraceBinding::Outcome::Problem) {
      one["problem"] = {{"file", b.problem_at.path()},
                        {"line", b.problem_at.line},
                        {"column", b.problem_at.column},
                        {"message", b.problem}};
    }
    bindings.push_back(one);
  }
  j["bindings"] = bindings;
  return j;
}

}  // namespace reddalert::app
