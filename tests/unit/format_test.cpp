// `reddalert fmt`: golden files (tests/golden/fmt/NAME.policy -> NAME.formatted; UPDATE_GOLDEN=1
// rewrites them), and on every policy text the repository has (the shipped policies, the
// examples of docs/, the fuzz seeds) a layout that is stable, keeps the syntax tree and
// keeps every comment.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "ast/printer.hpp"
#include "format/diff.hpp"
#include "format/format.hpp"
#include "syntax/parse.hpp"
#include "test_support.hpp"

namespace reddalert::testing {
namespace {

namespace fs = std::filesystem;

const std::string kRoot = REDDALERT_SOURCE_DIR;

std::vector<std::string> files_in(const std::string& dir, const std::string& extension) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(fs::path(kRoot) / dir)) {
    if (e.path().extension() == extension) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

base::SourcePtr source(const std::string& name, const std::string& text) {
  return std::make_shared<base::SourceFile>(name, text);
}

// The tree without locations, or empty when the text does not format.
std::string tree_of(const std::string& name, const std::string& text) {
  const auto parsed = syntax::parse(source(name, text));
  return parsed.module ? base::to_text(ast::dump(*parsed.module), false) : "";
}

std::vector<std::string> sorted_comments(const std::string& name, const std::string& text) {
  const auto parsed = syntax::parse(source(name, text));
  std::vector<std::string> c = parsed.module ? format::comments_of(*parsed.module) : std::vector<std::string>{};
  std::sort(c.begin(), c.end());
  return c;
}

// Formats `text` and checks what fmt promises; false when it does not format.
bool check_formats(const std::string& name, const std::string& text) {
  const format::FormatResult once = format::format(source(name, text));
  if (!once.text) return false;
  const format::FormatResult twice = format::format(source(name, *once.text));
  EXPECT_TRUE(twice.text.has_value()) << name << ": the formatted text does not parse:\n" << *once.text;
  if (!twice.text) return true;
  EXPECT_EQ(*once.text, *twice.text) << name << ": formatting is not stable:\n"
                                     << format::unified_diff(*once.text, *twice.text, name);
  EXPECT_EQ(tree_of(name, text), tree_of(name, *once.text)) << name << ": formatting changed the tree:\n" << *once.text;
  EXPECT_EQ(sorted_comments(name, text), sorted_comments(name, *once.text)) << name << ": comments changed";
  std::istringstream lines(*once.text);
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(line.empty() || line.back() != ' ') << name << ": trailing space in `" << line << "`";
  }
  return true;
}

TEST(Format, GoldenFiles) {
  const auto inputs = files_in("tests/golden/fmt", ".policy");
  EXPECT_GE(inputs.size(), 5U);
  for (const std::string& p : inputs) {
    const std::string name = fs::relative(p, kRoot).string();
    const format::FormatResult r = format::format(source(name, read_file(p)));
    ASSERT_TRUE(r.text.has_value()) << name << " does not parse";
    const std::string expected = fs::path(p).replace_extension(".formatted").string();
    if (std::getenv("UPDATE_GOLDEN")) {
      write_file(expected, *r.text);
    } else {
      ASSERT_TRUE(fs::exists(expected)) << expected << " is missing; run with UPDATE_GOLDEN=1";
      EXPECT_EQ(read_file(expected), *r.text)
          << name << " formats differently from " << fs::relative(expected, kRoot).string();
    }
    EXPECT_TRUE(check_formats(name, read_file(p)));
  }
}

TEST(Format, ShippedPoliciesAreFormattedAndStable) {
  std::vector<std::string> files;  // the library's service folders and lib/ too
  for (const auto& e : fs::recursive_directory_iterator(fs::path(kRoot) / "policies")) {
    if (e.path().extension() == ".policy") files.push_back(e.path().string());
  }
  EXPECT_GT(files.size(), 50U);
  for (const std::string& p : files) {
    const std::string text = read_file(p);
    EXPECT_TRUE(check_formats(p, text)) << p << " does not parse";
    EXPECT_EQ(*format::format(source(p, text)).text, text) << p << " is not formatted: run reddalert fmt policies";
  }
}

// The blocks of docs/*.md and README.md that are policy text: whole files, policies without their header
// (given one), and the `EXPRESSION ==> EXPECTED` examples in the file the harness makes.
TEST(Format, DocsExamplesAreStable) {
  int formatted = 0;
  std::vector<std::string> docs = files_in("docs", ".md");
  docs.push_back(kRoot + "/README.md");
  for (const std::string& doc : docs) {
    std::istringstream in(read_file(doc));
    std::string line, block, kind;
    bool inside = false;
    int lineno = 0, start = 0;
    while (std::getline(in, line)) {
      ++lineno;
      if (line.rfind("```", 0) != 0) {
        if (inside) block += line + "\n";
        continue;
      }
      if (!inside) {
        inside = true;
        kind = line.substr(3);
        block.clear();
        start = lineno;
        continue;
      }
      inside = false;
      const std::string name = fs::relative(doc, kRoot).string() + ":" + std::to_string(start);
      if (kind == "reddalert-example") {
        std::istringstream examples(block);
        std::string example;
        while (std::getline(examples, example)) {
          const std::size_t arrow = example.find(" ==> ");
          if (example.empty() || example[0] == '#' || arrow == std::string::npos) continue;
          const std::string file =
              "reddalert 1\npolicy t {\n  title \"t\"\n  severity info\n  description \"t\"\n"
              "  for _x in [1]\n  let r = " +
              example.substr(0, arrow) + "\n  alert \"x\"\n  message \"m\"\n  details {r: r}\n}\n";
          formatted += check_formats(name, file) ? 1 : 0;
        }
      } else if (!kind.empty() && kind != "reddalert") {
        continue;  // yaml, sh, json, ...
      } else if (check_formats(name, block) || check_formats(name, "reddalert 1\n" + block)) {
        ++formatted;
      }
    }
  }
  EXPECT_GT(formatted, 150);
}

TEST(Format, FuzzSeedsAreStable) {
  std::vector<std::string> files;
  for (const char* dir : {"tests/golden/parse", "tests/golden/lint", "tests/golden/eval"}) {
    for (const auto& f : files_in(dir, ".policy")) files.push_back(f);
  }
  int formatted = 0;
  for (const std::string& p : files) formatted += check_formats(p, read_file(p)) ? 1 : 0;
  EXPECT_GT(formatted, 10);
  // The seeds scripts/fuzz.sh makes at the engine's limits (those that parse).
  std::string lets = "reddalert 1\nlet l0 = 1\n", doubling = "reddalert 1\nconst s1 = \"xx\"\n", plus;
  for (int i = 1; i < 70; ++i) lets += "let l" + std::to_string(i) + " = l" + std::to_string(i - 1) + " + 1\n";
  for (int i = 2; i < 41; ++i) {
    doubling += "const s" + std::to_string(i) + " = s" + std::to_string(i - 1) + " + s" + std::to_string(i - 1) + "\n";
  }
  for (int i = 0; i < 150; ++i) plus += (i ? " + " : "") + std::string("1");
  EXPECT_TRUE(check_formats("lets", lets));
  EXPECT_TRUE(check_formats("doubling", doubling));
  EXPECT_TRUE(check_formats("plus", "reddalert 1\nconst c = " + plus + "\n"));
  EXPECT_TRUE(
      check_formats("parens", "reddalert 1\nconst c = " + std::string(60, '(') + "1" + std::string(60, ')') + "\n"));
}

TEST(Format, SyntaxErrorsAreNotFormatted) {
  const format::FormatResult r = format::format(source("bad.policy", "reddalert 1\nconst = 1\n"));
  EXPECT_FALSE(r.text.has_value());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics.items()[0].code, "E0001");
  // An item given twice would lose its first value: not formatted either.
  const std::string twice =
      "reddalert 1\npolicy p {\n  title \"a\"\n  title \"b\"\n  severity low\n  for x in [1]\n  alert 1\n  message "
      "1\n}\n";
  EXPECT_FALSE(format::format(source("twice.policy", twice)).text.has_value());
  // Items out of order lose nothing: they are put in order.
  const std::string misplaced =
      "reddalert 1\npolicy p {\n  for x in [1]\n  title \"a\"\n  severity low\n  alert 1\n  message 1\n}\n";
  const format::FormatResult m = format::format(source("misplaced.policy", misplaced));
  ASSERT_TRUE(m.text.has_value());
  EXPECT_EQ(
      *m.text,
      "reddalert 1\n\npolicy p {\n  title    \"a\"\n  severity low\n\n  for x in [1]\n\n  alert   1\n  message 1\n}\n");
}

TEST(Format, UnifiedDiff) {
  EXPECT_EQ(format::unified_diff("a\nb\n", "a\nb\n", "f"), "");
  EXPECT_EQ(format::unified_diff("a\nb\nc\n", "a\nB\nc\n", "f"), "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  EXPECT_EQ(format::unified_diff("", "x\n", "f"), "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n");
  // Changes far apart are separate hunks with three lines of context each.
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
  }
  EXPECT_EQ(format::unified_diff(before, after, "f"),
            "--- a/f\n+++ b/f\n@@ -1,5 +1,5 @@\n 1\n-2\n+x\n 3\n 4\n 5\n@@ -15,6 +15,6 @@\n 15\n 16\n 17\n-18\n+x\n "
            "19\n 20\n");
}

}  // namespace
}  // namespace reddalert::testing
