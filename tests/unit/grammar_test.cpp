#include <gtest/gtest.h>

#include "base/text.hpp"
#include "syntax/parse.hpp"
#include "test_support.hpp"

namespace reddalert::testing {
namespace {

TEST(Grammar, AnalyzeFindsNoProblems) { EXPECT_EQ(syntax::analyze_grammar(false), 0U); }

struct ErrorCase {
  const char* text;
  const char* first_line;  // the first line of the rendered diagnostic
};

class SyntaxErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(SyntaxErrors, FirstLine) {
  const std::string out = lint_text("t.policy", GetParam().text);
  EXPECT_EQ(out.substr(0, out.find('\n')), GetParam().first_line) << out;
}

const ErrorCase kErrors[] = {
    {"const x = 1\n", "t.policy:1:1: error[E0002]: missing language header: expected `reddalert 1` before `const`"},
    {"reddalert 2\n", "t.policy:1:11: error[E0003]: unsupported language version 2 (this engine reads: 1)"},
    {"reddalert 1\nconst x = (1 + \n",
     "t.policy:3:1: error[E0001]: syntax error: expected an expression, found end of file"},
    {"reddalert 1\nconst x = \"abc\n",
     "t.policy:2:15: error[E0001]: syntax error: expected `\"` (a string ends on the line it starts), found end of "
     "line"},
    {"reddalert 1\nconst = 1\n", "t.policy:2:7: error[E0001]: syntax error: expected a name, found `=`"},
    {"reddalert 1\nconst x = f(1, 2\n", "t.policy:2:12: error[E0016]: this `(` is never closed"},
    // The missing operand comes first: the `(` is not the mistake yet.
    {"reddalert 1\nconst x = f(1 +\n",
     "t.policy:3:1: error[E0001]: syntax error: expected an expression, found end of file"},
    // A closer of another kind closes an outer bracket; one in a comment or a string does not count.
    {"reddalert 1\nconst x = {a: f(1}\n", "t.policy:2:16: error[E0016]: this `(` is never closed"},
    {"reddalert 1\nconst x = f(\"{g(1)}\", 2 # )\n", "t.policy:2:12: error[E0016]: this `(` is never closed"},
    {"reddalert 1\nconst x = f(1 / 2, '(', /)/\n", "t.policy:2:12: error[E0016]: this `(` is never closed"},
    {"reddalert 1\nconst x = [1 2]\n",
     "t.policy:2:14: error[E0001]: syntax error: expected `.`, `[`, `,`, `]` or an operator, found `2`"},
    {"reddalert 1\nconst x = 1 inn [1]\n", "t.policy:2:13: error[E0008]: unknown keyword `inn`"},
    {"reddalert 1\nconst x = if true then 1 els 2\n", "t.policy:2:26: error[E0008]: unknown keyword `els`"},
    {"reddalert 1\ndfe f(x) = x\n", "t.policy:2:1: error[E0008]: unknown keyword `dfe`"},
    {"reddalert 1\nconst x = 1\nab\n",
     "t.policy:3:1: error[E0001]: syntax error: expected `.`, `[`, a declaration (`import`, `const`, `def`, `let`, "
     "`policy`) or an operator, found `ab`"},
    {"reddalert 1\nconst x = f(!y)\n", "t.policy:2:13: error[E0009]: `!` is not an operator of this language"},
    {"reddalert 1\nconst x = 1 = 2\n",
     "t.policy:2:13: error[E0009]: `=` does not compare: it only gives a name its value"},
    {"reddalert 1\nconst x = 1 < 2\n  > 0\n", "t.policy:3:3: error[E0010]: comparisons cannot be chained"},
    {"reddalert 1\ndef f(a, in) = a\n", "t.policy:2:10: error[E0015]: `in` is a reserved word and cannot be a name"},
    // Where an expression is expected, a reserved word is a missing operand, not a name.
    {"reddalert 1\nconst x = f(in)\n",
     "t.policy:2:13: error[E0001]: syntax error: expected a name, an expression or `)`, found `in`"},
    {"reddalert 1\nfoo\n",
     "t.policy:2:1: error[E0001]: syntax error: expected a declaration (`import`, `const`, `def`, `let`, `policy`), "
     "found `foo`"},
    {"reddalert 1\n# caf\xC3\n", "t.policy:2:6: error[E0007]: the file is not valid UTF-8: byte 0xC3 here"},
    {"reddalert 1\nconst s = \"\xE2\x82\"\n",
     "t.policy:2:12: error[E0007]: the file is not valid UTF-8: byte 0xE2 here"},
};

INSTANTIATE_TEST_SUITE_P(Table, SyntaxErrors, ::testing::ValuesIn(kErrors));

TEST(SyntaxErrors, HintsNameWhatToWrite) {
  const std::pair<const char*, const char*> rows[] = {
      {"reddalert 1\nconst x = 1 <= 5 <= 9\n",
       "hint: write `5 in 1..9` (a range includes both ends), or `1 <= 5 and 5 <= 9`"},
      {"reddalert 1\nconst x = 9 >= 5 >= 1\n",
       "hint: write `5 in 1..9` (a range includes both ends), or `9 >= 5 and 5 >= 1`"},
      {"reddalert 1\nconst x = 1 < 5 < f(\n", "hint: compare twice and join with `and`"},
      {"reddalert 1\nconst x = 1 || 2\n", "hint: write `or`"},
      {"reddalert 1\nconst x = 1 !== 2\n", "hint: write `!=`"},
  };
  for (const auto& [text, hint] : rows) {
    const std::string out = lint_text("t.policy", text);
    EXPECT_NE(out.find(hint), std::string::npos) << out;
  }
}

TEST(Utf8, FirstInvalidByte) {
  const std::pair<std::string, std::optional<std::size_t>> rows[] = {
      {"plain", std::nullopt},
      {"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x92", std::nullopt},  // 2, 3 and 4 bytes
      {"\xEF\xBF\xBD\xF4\x8F\xBF\xBF", std::nullopt},               // U+FFFD, U+10FFFF
      {"a\x80", 1},                                                 // a lone continuation byte
      {"ab\xC0\x80", 2},                                            // overlong NUL
      {"\xE0\x80\x80", 0},                                          // overlong
      {"\xED\xA0\x80", 0},                                          // a surrogate
      {"\xF4\x90\x80\x80", 0},                                      // above U+10FFFF
      {"x\xE2\x82", 1},                                             // truncated
      {"\xC3\x28", 0},                                              // a bad continuation
      {"\xFF", 0},
  };
  for (const auto& [text, bad] : rows) EXPECT_EQ(base::first_invalid_utf8(text), bad) << text;
  EXPECT_EQ(base::to_valid_utf8("h\xC3llo \xE2\x82\xAC\xFF"), "h\xEF\xBF\xBDllo \xE2\x82\xAC\xEF\xBF\xBD");
  EXPECT_EQ(base::to_valid_utf8("ok"), "ok");
}

TEST(Grammar, DeepNestingIsADiagnosticNotAStackOverflow) {
  for (const std::string open : {"(", "[", "not ", "-", "{a: "}) {
    std::string text = "reddalert 1\nconst x = ";
    for (int i = 0; i < 100000; ++i) text += open;
    const std::string out = lint_text("deep.policy", text);
    EXPECT_NE(out.find("error[E0006]: expressions nest more than 200 levels deep"), std::string::npos) << open;
  }
}

TEST(Grammar, AndOrAndCoalesceRecordWhereTheirOperatorIs) {
  // The node of a chain starts at its left operand (diagnostics underline the whole); the
  // operator's own place, past a comment and a line break, is what `explain` points at.
  const auto f = std::make_shared<base::SourceFile>(
      "t.policy", "reddalert 1\nconst x = (1 == 2) # why\n  or 3 == 3 and\n true\nconst y = null ?? 2\n");
  const syntax::ParseResult r = syntax::parse(f);
  ASSERT_TRUE(r.module) << r.diagnostics.sorted().size();
  const auto& top = r.module->consts.at(0).value->as<ast::Binary>();
  ASSERT_TRUE(top && top->op == ast::BinaryOp::Or);
  EXPECT_EQ(top->op_location.line, 3U);
  EXPECT_EQ(top->op_location.column, 3U);
  EXPECT_EQ(r.module->consts.at(0).value->location.line, 2U);  // `(1 == 2)`
  const auto* both = top->rhs->as<ast::Binary>();
  ASSERT_TRUE(both && both->op == ast::BinaryOp::And);
  EXPECT_EQ(both->op_location.line, 3U);
  EXPECT_EQ(both->op_location.column, 13U);
  const auto* coalesce = r.module->consts.at(1).value->as<ast::Binary>();
  ASSERT_TRUE(coalesce && coalesce->op == ast::BinaryOp::Coalesce);
  EXPECT_EQ(coalesce->op_location.column, 16U);
}

}  // namespace
}  // namespace reddalert::testing
