#include "syntax/parse.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <tao/pegtl/contrib/analyze.hpp>

#include "base/text.hpp"
#include "grammar/errors.hpp"
#include "syntax/explain.hpp"
#include "syntax/tree.hpp"

namespace reddalert::syntax {

namespace {

// The parser's state while it runs, and what it learned (`failure`) about the furthest
// point it reached: the input position and the names of the tokens it tried there. A
// syntax error is reported at that point (explain.cpp).
struct Tracker {
  Failure failure;
  std::vector<const char*> starts;               // start positions of named rules being matched
  std::vector<const char*> shapes;               // shape hints of commit rules being matched
  std::vector<const char*> summaries;            // start positions of summarising rules
  std::vector<bool> binding;                     // per binding rule or expression being matched: binds?
  std::vector<const char*> openers;              // brackets opened in the enclosing rules being matched
  std::vector<std::size_t> enclosing;            // per enclosing rule being matched: openers.size() at its start
  std::vector<Failure::Comparison> comparisons;  // comparisons being matched
  int quiet = 0;
  int depth = 0;  // nesting of expressions being matched

  void record(const char* pos, const char* what) {
    if (quiet > 0 || (!summaries.empty() && summaries.back() == pos)) return;
    Failure& f = failure;
    if (f.furthest == nullptr || pos > f.furthest) {
      f.furthest = pos;
      f.expected.clear();
    }
    if (pos == f.furthest && std::find(f.expected.begin(), f.expected.end(), what) == f.expected.end()) {
      f.expected.emplace_back(what);
    }
  }
};

thread_local Tracker* tracker = nullptr;

template <typename Rule>
inline constexpr bool opens = std::is_same_v<Rule, grammar::lparen> || std::is_same_v<Rule, grammar::lbracket> ||
                              std::is_same_v<Rule, grammar::lbrace>;
template <typename Rule>
inline constexpr bool closes = std::is_same_v<Rule, grammar::rparen> || std::is_same_v<Rule, grammar::rbracket> ||
                               std::is_same_v<Rule, grammar::rbrace>;

template <typename Rule>
struct Control : tao::pegtl::normal<Rule> {
  template <typename Input, typename... States>
  static void start(const Input& in, States&&... /*unused*/) {
    if constexpr (grammar::nests<Rule>) {
      // Deeply nested input would exhaust the stack of this recursive parser (and of the
      // stages after it): refuse it with a diagnostic instead.
      if (++tracker->depth > kMaxNesting) {
        tracker->failure.too_deep = true;
        tracker->record(in.current(), "less nesting");
        throw tao::pegtl::parse_error("nesting too deep", in);
      }
    }
    if constexpr (grammar::quiet<Rule>) ++tracker->quiet;
    if constexpr (grammar::summarises<Rule>) tracker->summaries.push_back(in.current());
    if constexpr (grammar::expected_name<Rule> != nullptr) tracker->starts.push_back(in.current());
    if constexpr (grammar::shape_hint<Rule> != nullptr) tracker->shapes.push_back(grammar::shape_hint<Rule>);
    if constexpr (grammar::binds<Rule> || std::is_same_v<Rule, grammar::expr>) {
      tracker->binding.push_back(grammar::binds<Rule>);
    }
    if constexpr (grammar::encloses<Rule>) tracker->enclosing.push_back(tracker->openers.size());
    if constexpr (std::is_same_v<Rule, grammar::comparison>) {
      tracker->comparisons.push_back({.begin = in.current(), .op = nullptr, .end = nullptr});
    }
  }
  template <typename Input, typename... States>
  static void success(const Input& in, States&&... /*unused*/) {
    if constexpr (opens<Rule>) tracker->openers.push_back(tracker->starts.back());
    if constexpr (std::is_same_v<Rule, grammar::op_compare>) tracker->comparisons.back().op = tracker->starts.back();
    if constexpr (std::is_same_v<Rule, grammar::comparison>) {
      Failure::Comparison c = tracker->comparisons.back();
      tracker->comparisons.pop_back();
      c.end = in.current();
      Failure::Comparison& last = tracker->failure.comparison;
      if (c.op != nullptr && (last.end == nullptr || c.end >= last.end)) last = c;
    }
    finish();
  }
  template <typename Input, typename... States>
  static void failure(const Input& /*in*/, States&&... /*unused*/) {
    if constexpr (std::is_same_v<Rule, grammar::name>) {
      const char* at = tracker->starts.back();
      const char*& binder_at = tracker->failure.binder_at;
      if (!tracker->binding.empty() && tracker->binding.back() && (binder_at == nullptr || at > binder_at)) {
        binder_at = at;
      }
    }
    if constexpr (std::is_same_v<Rule, grammar::comparison>) tracker->comparisons.pop_back();
    if constexpr (grammar::expected_name<Rule> != nullptr) {
      const char* at = tracker->starts.back();
      finish();  // first: a summarising rule records its own name
      tracker->record(at, grammar::expected_name<Rule>);
    } else {
      finish();
    }
  }
  // What success and failure both undo of start.
  static void finish() {
    if constexpr (grammar::nests<Rule>) --tracker->depth;
    if constexpr (grammar::quiet<Rule>) --tracker->quiet;
    if constexpr (grammar::summarises<Rule>) tracker->summaries.pop_back();
    if constexpr (grammar::expected_name<Rule> != nullptr) tracker->starts.pop_back();
    if constexpr (grammar::shape_hint<Rule> != nullptr) tracker->shapes.pop_back();
    if constexpr (grammar::binds<Rule> || std::is_same_v<Rule, grammar::expr>) tracker->binding.pop_back();
    if constexpr (grammar::encloses<Rule>) {
      tracker->openers.resize(tracker->enclosing.back());
      tracker->enclosing.pop_back();
    }
  }
  template <typename Input, typename... States>
  [[noreturn]] static void raise(const Input& in, States&&... st) {
    Failure& f = tracker->failure;
    if (!tracker->shapes.empty()) f.raised_shape = tracker->shapes.back();
    if constexpr (std::is_same_v<Rule, grammar::header> || std::is_same_v<Rule, grammar::version_number>) {
      f.raised_in_header = true;
    }
    if constexpr (closes<Rule>) {
      if (!tracker->openers.empty()) f.unclosed = tracker->openers.back();
    }
    tracker->record(in.current(), "valid syntax");
    tao::pegtl::normal<Rule>::raise(in, st...);
  }
};

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
    diags.add(explain(file, t.failure));
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
