#include "syntax/parse.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <tao/pegtl/contrib/analyze.hpp>

#include "base/text.hpp"
#include "grammar/errors.hpp"
#include "syntax/tree.hpp"

namespace reddalert::syntax {

namespace {

// What the parser learned about the furthest point it reached: the input position and
// the names of the tokens it tried there. A syntax error is reported at that point.
struct Tracker {
  const char* furthest = nullptr;
  std::vector<std::string> expected;
  std::vector<const char*> starts;     // start positions of named rules being matched
  std::vector<const char*> shapes;     // shape hints of commit rules being matched
  std::vector<const char*> summaries;  // start positions of summarising rules
  int quiet = 0;
  const char* raised_shape = nullptr;
  bool raised_in_header = false;
  int depth = 0;  // nesting of expressions being matched
  bool too_deep = false;

  void record(const char* pos, const char* what) {
    if (quiet > 0 || (!summaries.empty() && summaries.back() == pos)) return;
    if (furthest == nullptr || pos > furthest) {
      furthest = pos;
      expected.clear();
    }
    if (pos == furthest && std::find(expected.begin(), expected.end(), what) == expected.end()) {
      expected.emplace_back(what);
    }
  }
};

thread_local Tracker* tracker = nullptr;

template <typename Rule>
struct Control : tao::pegtl::normal<Rule> {
  template <typename Input, typename... States>
  static void start(const Input& in, States&&... /*unused*/) {
    if constexpr (grammar::nests<Rule>) {
      // Deeply nested input would exhaust the stack of this recursive parser (and of the
      // stages after it): refuse it with a diagnostic instead.
      if (++tracker->depth > kMaxNesting) {
        tracker->too_deep = true;
        tracker->record(in.current(), "less nesting");
        throw tao::pegtl::parse_error("nesting too deep", in);
      }
    }
    if constexpr (grammar::quiet<Rule>) ++tracker->quiet;
    if constexpr (grammar::summarises<Rule>) tracker->summaries.push_back(in.current());
    if constexpr (grammar::expected_name<Rule> != nullptr) tracker->starts.push_back(in.current());
    if constexpr (grammar::shape_hint<Rule> != nullptr) tracker->shapes.push_back(grammar::shape_hint<Rule>);
  }
  template <typename Input, typename... States>
  static void success(const Input& /*in*/, States&&... /*unused*/) {
    if constexpr (grammar::nests<Rule>) --tracker->depth;
    if constexpr (grammar::quiet<Rule>) --tracker->quiet;
    if constexpr (grammar::summarises<Rule>) tracker->summaries.pop_back();
    if constexpr (grammar::expected_name<Rule> != nullptr) tracker->starts.pop_back();
    if constexpr (grammar::shape_hint<Rule> != nullptr) tracker->shapes.pop_back();
  }
  template <typename Input, typename... States>
  static void failure(const Input& /*in*/, States&&... /*unused*/) {
    if constexpr (grammar::nests<Rule>) --tracker->depth;
    if constexpr (grammar::quiet<Rule>) --tracker->quiet;
    if constexpr (grammar::summarises<Rule>) tracker->summaries.pop_back();
    if constexpr (grammar::expected_name<Rule> != nullptr) {
      tracker->record(tracker->starts.back(), grammar::expected_name<Rule>);
      tracker->starts.pop_back();
    }
    if constexpr (grammar::shape_hint<Rule> != nullptr) tracker->shapes.pop_back();
  }
  template <typename Input, typename... States>
  [[noreturn]] static void raise(const Input& in, States&&... st) {
    if (!tracker->shapes.empty()) tracker->raised_shape = tracker->shapes.back();
    if constexpr (std::is_same_v<Rule, grammar::header> || std::is_same_v<Rule, grammar::version_number>) {
      tracker->raised_in_header = true;
    }
    tracker->record(in.current(), "valid syntax");
    tao::pegtl::normal<Rule>::raise(in, st...);
  }
};

std::string describe_found(std::string_view rest) {
  if (rest.empty()) return "end of file";
  const char c = rest[0];
  if (c == '\n' || c == '\r') return "end of line";
  std::size_t n = 1;
  const auto word = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  if (word(c)) {
    while (n < rest.size() && word(rest[n])) ++n;
  }
  return "`" + std::string(rest.substr(0, n)) + "`";
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

// Turn the tracker's state after a failed parse into one diagnostic.
base::Diagnostic syntax_error(const base::SourcePtr& file, const Tracker& t) {
  const std::string& text = file->text();
  const char* pos = t.furthest != nullptr ? t.furthest : text.data();
  const std::size_t offset = static_cast<std::size_t>(pos - text.data());
  base::Diagnostic d;
  d.location = base::location_at(file, std::min(offset, text.size()));
  const std::string found = describe_found(std::string_view(text).substr(std::min(offset, text.size())));
  if (t.too_deep) return too_deep(d.location);
  if (t.raised_in_header) {
    d.code = "E0002";
    d.message = "missing language header: expected `reddalert 1` before " + found;
    d.hint = "the first line that is not a comment must be `reddalert 1` (supported versions: 1)";
    return d;
  }
  d.code = "E0001";
  d.message = "syntax error: expected " + expected_list(t.expected) + ", found " + found;
  if (t.raised_shape != nullptr) d.hint = t.raised_shape;
  return d;
}

template <typename Rule, typename Lower>
auto run(const base::SourcePtr& file, base::Diagnostics& diags, Lower lower) -> decltype(lower(std::declval<Node&>())) {
  // Policy text is UTF-8: its strings end up in JSON outputs.
  if (const auto bad = base::first_invalid_utf8(file->text())) {
    diags.error("E0007", base::location_at(file, *bad),
                "the file is not valid UTF-8: byte 0x" +
                    base::hex_byte(static_cast<unsigned char>(file->text()[*bad])) + " here",
                "save the file as UTF-8");
    return {};
  }
  Tracker t;
  tracker = &t;
  tao::pegtl::memory_input<> in(file->text(), file->path());
  std::unique_ptr<Node> root;
  try {
    root = pt::parse<Rule, Selector, tao::pegtl::nothing, Control>(in);
  } catch (const tao::pegtl::parse_error&) {
    root.reset();
  }
  tracker = nullptr;
  if (!root) {
    diags.add(syntax_error(file, t));
    return {};
  }
  return lower(*root);
}

}  // namespace

ParseResult parse(base::SourcePtr file, ast::NodeId first_id) {
  ParseResult result;
  result.module = run<grammar::file>(file, result.diagnostics, [&](const Node& root) {
    return lower_module(root, file, first_id, result.diagnostics);
  });
  return result;
}

ExpressionResult parse_expression(base::SourcePtr file, ast::NodeId first_id) {
  ExpressionResult result;
  result.expr = run<grammar::expression_only>(file, result.diagnostics, [&](const Node& root) {
    return lower_expression(root, file, first_id, result.diagnostics);
  });
  return result;
}

std::size_t analyze_grammar(bool verbose) {
  return tao::pegtl::analyze<grammar::file>(verbose ? 1 : 0) +
         tao::pegtl::analyze<grammar::expression_only>(verbose ? 1 : 0);
}

}  // namespace reddalert::syntax
