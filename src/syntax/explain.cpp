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
#include "syntax/parse.hpp"
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

bool expects(const Failure& f, const char* name) {
  return std::find(f.expected.begin(), f.expected.end(), name) != f.expected.end();
}

bool reserved(std::string_view word) {
  const auto& words = grammar_words().reserved;
  return std::find(words.begin(), words.end(), word) != words.end();
}

// The keywords that could have come where the parser stopped, by what it expected there.
std::vector<std::string> keywords_expected(const Failure& f) {
  namespace g = grammar;
  struct Context {
    const char* expected;
    std::vector<std::string> words;
  };
  static const Context contexts[] = {
      {g::expected_name<g::policy_item>, g::first_words<g::policy_item>()},
      {g::expected_name<g::declaration>, g::first_words<g::declaration>()},
      {g::expected_name<g::op_compare>,
       g::first_words<g::kw_and, g::kw_or, g::op_not_in, g::op_in, g::op_within, g::op_matches>()},
      {g::expected_name<g::kw_in>, g::first_words<g::kw_in>()},
      {g::expected_name<g::kw_then>, g::first_words<g::kw_then>()},
      {g::expected_name<g::kw_else>, g::first_words<g::kw_else>()},
  };
  std::vector<std::string> out;
  for (const Context& c : contexts) {
    if (expects(f, c.expected)) out.insert(out.end(), c.words.begin(), c.words.end());
  }
  return out;
}

// The keyword `word` is probably a misspelling of, or empty. Short words are stray names as
// often as typos (`foo` is not `not`): below five letters, one edit or the same letters in
// another order (`fro`, `adn`).
std::string misspelled_keyword(std::string_view word, const std::vector<std::string>& keywords) {
  if (word.size() < 3 || reserved(word) || std::isdigit(static_cast<unsigned char>(word[0]))) return {};
  const std::string best = base::closest(word, keywords);
  if (best.empty() || word.size() >= 5 || base::edit_distance(word, best) <= 1) return best;
  std::string a(word), b(best);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b ? best : std::string();
}

// `text[begin, end)` without surrounding blanks, when it is short and on one line (fit to be
// quoted in a hint); nullopt otherwise.
std::optional<std::string> short_code(std::string_view text, std::size_t begin, std::size_t end) {
  std::string_view s = text.substr(begin, end - begin);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  if (s.empty() || s.size() > 40 || s.find_first_of("\n#") != std::string_view::npos) return std::nullopt;
  return std::string(s);
}

std::size_t comparison_length(std::string_view rest) {
  if (rest.size() >= 2 && rest[1] == '=' && (rest[0] == '=' || rest[0] == '!' || rest[0] == '<' || rest[0] == '>')) {
    return 2;
  }
  return !rest.empty() && (rest[0] == '<' || rest[0] == '>') ? 1 : 0;
}

// The operand after a comparison operator at `after`, read on the rest of its line.
std::optional<std::string> operand_after(std::string_view text, std::size_t after) {
  std::string_view rest = text.substr(after);
  rest = rest.substr(0, std::min<std::size_t>(rest.find('\n'), 80));  // bounded nesting, short enough to quote
  tao::pegtl::memory_input<> in(rest.data(), rest.size(), "");
  try {
    if (!tao::pegtl::parse<tao::pegtl::seq<grammar::_, grammar::membership>>(in)) return std::nullopt;
  } catch (const tao::pegtl::parse_error&) {
    return std::nullopt;
  }
  return short_code(rest, 0, static_cast<std::size_t>(in.current() - rest.data()));
}

// `1 < x < 3`: the parser stops at the second operator, right where a comparison ended.
std::optional<base::Diagnostic> chained_comparison(const base::SourcePtr& file, const Failure& f, std::size_t at) {
  const std::string_view text = file->text();
  const std::size_t length = comparison_length(text.substr(at));
  if (length == 0 || f.comparison.end == nullptr || f.comparison.end != f.furthest ||
      !expects(f, grammar::expected_name<grammar::op_compare>)) {
    return std::nullopt;
  }
  const auto offset = [&](const char* p) { return static_cast<std::size_t>(p - text.data()); };
  const std::size_t first = offset(f.comparison.op);
  const std::size_t first_length = comparison_length(text.substr(first));
  const std::string op1(text.substr(first, first_length)), op2(text.substr(at, length));
  base::Diagnostic d;
  d.code = "E0010";
  d.location = base::location_at(file, at, static_cast<std::uint32_t>(length));
  d.message = "comparisons cannot be chained";
  const auto a = short_code(text, offset(f.comparison.begin), first);
  const auto b = short_code(text, first + first_length, at);
  const auto c = operand_after(text, at + length);
  const std::string left = a && b ? "`" + *a + " " + op1 + " " + *b + "`" : std::string("the left side");
  d.notes.push_back({base::location_at(file, first, static_cast<std::uint32_t>(first_length)),
                     left + " is already a comparison: its value is true or false"});
  if (a && b && c) {
    const std::string both = *a + " " + op1 + " " + *b + " and " + *b + " " + op2 + " " + *c;
    if (op1 == "<=" && op2 == "<=") {
      d.hint = "write `" + *b + " in " + *a + ".." + *c + "` (a range includes both ends), or `" + both + "`";
    } else if (op1 == ">=" && op2 == ">=") {
      d.hint = "write `" + *b + " in " + *c + ".." + *a + "` (a range includes both ends), or `" + both + "`";
    } else {
      d.hint = "write `" + both + "`";
    }
  } else {
    d.hint = "compare twice and join with `and`: `a < b and b < c`; `b in a..c` when both ends are included";
  }
  return d;
}

// `&&`, `||`, `!`, `=`, `===` and `!==` as other languages write them.
std::optional<base::Diagnostic> foreign_operator(const base::SourcePtr& file, const Failure& f, std::size_t at) {
  const std::string_view text = file->text(), rest = text.substr(at);
  const bool after_operand = expects(f, grammar::expected_name<grammar::op_compare>);
  const bool before_operand = expects(f, grammar::expected_name<grammar::primary>);
  struct Spelling {
    std::size_t begin, length;
    const char* message;
    const char* hint;
  };
  std::optional<Spelling> s;
  if (after_operand && rest.starts_with("&&")) {
    s = Spelling{at, 2, "`&&` is not an operator of this language", "write `and`"};
  } else if (after_operand && rest.starts_with("||")) {
    s = Spelling{at, 2, "`||` is not an operator of this language", "write `or`"};
  } else if (before_operand && rest.starts_with('=') && at >= 2 && text.substr(at - 2, 2) == "==") {
    s = Spelling{at - 2, 3, "`===` is not an operator of this language", "write `==`: it never converts types"};
  } else if (before_operand && rest.starts_with('=') && at >= 2 && text.substr(at - 2, 2) == "!=") {
    s = Spelling{at - 2, 3, "`!==` is not an operator of this language", "write `!=`: it never converts types"};
  } else if (before_operand && rest.starts_with('!') && !rest.starts_with("!=")) {
    s = Spelling{at, 1, "`!` is not an operator of this language", "write `not`"};
  } else if (after_operand && rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>") &&
             !expects(f, grammar::expected_name<grammar::colon>)) {
    // Not inside a map, where `{a = 1}` means `{a: 1}`.
    s = Spelling{at, 1, "`=` does not compare: it only gives a name its value", "write `==` to compare"};
  }
  if (!s) return std::nullopt;
  base::Diagnostic d;
  d.code = "E0009";
  d.location = base::location_at(file, s->begin, static_cast<std::uint32_t>(s->length));
  d.message = s->message;
  d.hint = s->hint;
  return d;
}

// Whether a `/` at this point starts a regex rather than dividing: after an operand (a name
// that is not a keyword, a number, a closing bracket or quote) it divides.
bool regex_can_start(std::string_view text, std::size_t last_significant) {
  if (last_significant == std::string_view::npos) return true;
  const char c = text[last_significant];
  if (!word_char(c)) return c != ')' && c != ']' && c != '}' && c != '"' && c != '\'';
  std::size_t b = last_significant + 1;
  while (b > 0 && word_char(text[b - 1])) --b;
  return reserved(text.substr(b, last_significant + 1 - b));
}

// Whether the bracket at `open` is never closed: a scan of the text after it that skips
// comments, strings (but not the code of their `{...}` parts), raw strings and regexes. A
// closer of another kind at its level closes an outer bracket, so it is never closed either.
bool never_closed(std::string_view text, std::size_t open) {
  std::vector<char> stack{text[open]};  // `"`: the `{` of an interpolation, back to the string at its `}`
  bool in_string = false;
  std::size_t last = std::string_view::npos;  // the last significant character of code
  const auto skip_to = [&](std::size_t i, char end) {
    while (i < text.size() && text[i] != end && text[i] != '\n') i += text[i] == '\\' && end == '/' ? 2 : 1;
    return i;
  };
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"' || c == '\n') {
        in_string = false;
        last = i;
      } else if (c == '{') {
        stack.push_back('"');
        in_string = false;
        last = std::string_view::npos;
      }
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) continue;
    if (c == '#') {
      i = skip_to(i, '\n');
      continue;
    }
    if (c == '"') {
      in_string = true;
      continue;
    }
    if (c == '\'') {
      i = last = skip_to(i + 1, '\'');
      continue;
    }
    if (c == '/' && regex_can_start(text, last)) {
      i = last = skip_to(i + 1, '/');
      continue;
    }
    last = i;
    if (c == '(' || c == '[' || c == '{') {
      stack.push_back(c);
    } else if (c == ')' || c == ']' || c == '}') {
      const char top = stack.back();
      if (top == '"' && c == '}') {
        stack.pop_back();
        in_string = true;
      } else if (stack.size() == 1) {
        return (top == '(' && c != ')') || (top == '[' && c != ']') || (top == '{' && c != '}');
      } else {
        stack.pop_back();
      }
    }
  }
  return true;
}

std::optional<base::Diagnostic> unclosed_bracket(const base::SourcePtr& file, const Failure& f,
                                                 const base::Diagnostic& generic) {
  if (f.unclosed == nullptr) return std::nullopt;
  const std::string_view text = file->text();
  const std::size_t open = static_cast<std::size_t>(f.unclosed - text.data());
  const char closer = text[open] == '(' ? ')' : text[open] == '[' ? ']' : '}';
  const std::string closer_name = std::string("`") + closer + "`";
  if (!expects(f, closer_name.c_str()) || !never_closed(text, open)) return std::nullopt;
  base::Diagnostic d;
  d.code = "E0016";
  d.location = base::location_at(file, open);
  d.message = std::string("this `") + text[open] + "` is never closed";
  d.hint = "add the " + closer_name + " that ends it";
  d.notes.push_back(
      {generic.location, "the parser gave up here: " + generic.message.substr(generic.message.find(": ") + 2)});
  return d;
}

}  // namespace

base::Diagnostic explain(const base::SourcePtr& file, const Failure& f) {
  const std::string& text = file->text();
  const std::size_t at =
      std::min(f.furthest != nullptr ? static_cast<std::size_t>(f.furthest - text.data()) : 0, text.size());
  const std::string_view rest = std::string_view(text).substr(at);
  const std::string found = describe_found(rest);
  const std::string_view word = word_at(rest);
  base::Diagnostic d;
  d.location = base::location_at(file, at);
  if (f.too_deep) return too_deep(d.location);
  if (f.raised_in_header) {
    d.code = "E0002";
    d.message = "missing language header: expected `reddalert 1` before " + found;
    d.hint = base::did_you_mean(word, grammar::first_words<grammar::kw_reddalert>());
    if (d.hint.empty()) d.hint = "the first line that is not a comment must be `reddalert 1` (supported versions: 1)";
    return d;
  }
  d.code = "E0001";
  d.message = "syntax error: expected " + expected_list(f.expected) + ", found " + found;
  if (f.raised_shape != nullptr) d.hint = f.raised_shape;

  const auto word_location = base::location_at(file, at, static_cast<std::uint32_t>(word.size()));
  if (!word.empty() && reserved(word) && f.binder_at != nullptr && f.binder_at == f.furthest) {
    return {.severity = base::Severity::Error,
            .code = "E0015",
            .location = word_location,
            .message = "`" + std::string(word) + "` is a reserved word and cannot be a name",
            .hint = "choose another name; a reserved word can still be a field (`x." + std::string(word) +
                    "`) or a map key (`{" + std::string(word) + ": 1}`)",
            .notes = {}};
  }
  if (auto op = foreign_operator(file, f, at)) return *op;
  if (auto chain = chained_comparison(file, f, at)) return *chain;
  // A word where no name can be (else it would have parsed as one), close to a keyword that can.
  if (const std::string keyword = misspelled_keyword(word, keywords_expected(f)); !keyword.empty()) {
    return {.severity = base::Severity::Error,
            .code = "E0008",
            .location = word_location,
            .message = "unknown keyword `" + std::string(word) + "`",
            .hint = base::did_you_mean(word, {keyword}),
            .notes = {}};
  }
  if (auto bracket = unclosed_bracket(file, f, d)) return *bracket;
  return d;
}

const GrammarWords& grammar_words() {
  static const GrammarWords words{.reserved = grammar::first_words<grammar::keyword>(),
                                  .policy_items = grammar::first_words<grammar::policy_item>(),
                                  .quantifiers = grammar::first_words<grammar::quantifier_kind>()};
  return words;
}

}  // namespace reddalert::syntax
