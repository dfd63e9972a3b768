#include "check/suppress.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/text.hpp"
#include "syntax/comments.hpp"

namespace reddalert::check {

namespace {

constexpr std::string_view kPrefix = "reddalert:";
constexpr std::string_view kIgnore = "ignore[";
constexpr const char* kShape = "write `# reddalert: ignore[W0201] why it is fine here` (codes separated by commas)";

struct Code {
  std::string code;
  base::Location location;  // the code inside the comment
  bool used = false;
};

struct Suppression {
  const base::SourceFile* file = nullptr;
  std::uint32_t line = 0;  // the line it covers; 0: none (a comment at the end of the file)
  std::vector<Code> codes;
};

std::size_t skip_blanks(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

bool code_shaped(std::string_view c) {
  return c.size() == 5 && (c[0] == 'E' || c[0] == 'W') &&
         std::all_of(c.begin() + 1, c.end(), [](char x) { return std::isdigit(static_cast<unsigned char>(x)) != 0; });
}

// The line a comment at byte `at` covers: its own when code comes before it on the line,
// else the next line that holds code (0 when none does).
std::uint32_t covered_line(const base::SourceFile& file, const syntax::ScannedText& scanned, std::size_t at) {
  const std::uint32_t line = file.position(at).first;
  for (std::size_t i = file.line_start(line); i < at; ++i) {
    if (scanned.code[i]) return line;
  }
  for (std::size_t i = at; i < scanned.code.size(); ++i) {
    if (scanned.code[i]) return file.position(i).first;
  }
  return 0;
}

// The suppression a comment holds, or none (after reporting what is wrong with it).
std::optional<Suppression> read_suppression(const base::SourcePtr& file, const syntax::ScannedText& scanned,
                                            const syntax::Comment& c, base::Diagnostics& out) {
  const std::string_view text = c.text;
  std::size_t i = skip_blanks(text, 1);
  if (text.substr(i, kPrefix.size()) != kPrefix) return std::nullopt;
  const base::Location whole = base::location_at(file, c.offset, text.size());
  i = skip_blanks(text, i + kPrefix.size());
  const std::size_t close = text.find(']', i);
  if (text.substr(i, kIgnore.size()) != kIgnore || close == std::string_view::npos) {
    out.error("E0511", whole, "a `# reddalert:` comment must be `ignore[CODES] reason`", kShape);
    return std::nullopt;
  }
  Suppression s;
  s.file = file.get();
  s.line = covered_line(*file, scanned, c.offset);
  bool valid = true;
  for (std::size_t start = i + kIgnore.size(); start <= close;) {
    std::size_t end = text.find(',', start);
    if (end == std::string_view::npos || end > close) end = close;
    const std::size_t first = skip_blanks(text, start);
    std::size_t last = end;
    while (last > first && (text[last - 1] == ' ' || text[last - 1] == '\t')) --last;
    const std::string code(text.substr(first, last - first));
    const base::Location at = base::location_at(file, c.offset + first, std::max<std::size_t>(1, code.size()));
    if (!code_shaped(code)) {
      out.error("E0511", code.empty() ? whole : at,
                code.empty() ? std::string("a suppression must name a code in its brackets")
                             : "`" + code + "` is not a diagnostic code",
                kShape);
      valid = false;
    } else if (!base::is_warning_code(code)) {
      std::string hint = "errors make a policy unusable and cannot be suppressed; fix the policy";
      if (code[0] == 'W') {
        hint = base::did_you_mean(code, {std::begin(base::kWarningCodes), std::end(base::kWarningCodes)});
        if (hint.empty()) hint = "the warnings are listed in docs/language.md, section 14";
      }
      out.error("E0512", at,
                code[0] == 'E' ? "`" + code + "` is an error, and only warnings can be suppressed"
                               : "there is no warning `" + code + "` to suppress",
                hint);
      valid = false;
    }
    s.codes.push_back({.code = code, .location = at, .used = false});
    start = end + 1;
  }
  const std::size_t reason = skip_blanks(text, close + 1);
  if (reason >= text.size()) {
    out.error("E0510", whole, "this suppression gives no reason, so it suppresses nothing",
              "say why the warning is wrong here after the brackets: `# reddalert: ignore[" +
                  (s.codes.empty() ? std::string("W0201") : s.codes.front().code) + "] why it is fine here`");
    valid = false;
  }
  if (!valid) return std::nullopt;
  return s;
}

}  // namespace

base::Diagnostics apply_suppressions(const Workspace& workspace, const base::Diagnostics& diags) {
  base::Diagnostics out;
  std::vector<Suppression> suppressions;
  for (const LoadedModule& m : workspace.modules) {
    // Most files have none: they are not scanned.
    if (m.module.source->text().find(kPrefix) == std::string::npos) continue;
    const syntax::ScannedText scanned = syntax::scan_text(m.module);
    for (const syntax::Comment& c : scanned.comments) {
      if (auto s = read_suppression(m.module.source, scanned, c, out)) suppressions.push_back(std::move(*s));
    }
  }
  for (const base::Diagnostic& d : diags.items()) {
    bool suppressed = false;
    if (d.severity == base::Severity::Warning && d.location.known()) {
      for (Suppression& s : suppressions) {
        if (s.file != d.location.file.get() || s.line != d.location.line) continue;
        for (Code& c : s.codes) {
          if (c.code == d.code) suppressed = c.used = true;
        }
      }
    }
    if (!suppressed) out.add(d);
  }
  for (const Suppression& s : suppressions) {
    for (const Code& c : s.codes) {
      if (c.used) continue;
      out.warning("W0510", c.location,
                  "this suppression of " + c.code + " suppressed nothing" +
                      (s.line ? ": line " + std::to_string(s.line) + " has no " + c.code + " warning"
                              : ": no line of code follows it"),
                  "remove it (or the code from its brackets); it would hide a warning that comes back later");
    }
  }
  return out;
}

}  // namespace reddalert::check
