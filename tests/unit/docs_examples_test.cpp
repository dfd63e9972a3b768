// Every ```reddalert-example block of docs/language.md: "EXPRESSION ==> EXPECTED".
#include <gtest/gtest.h>

#include <sstream>

#include "test_support.hpp"

namespace reddalert::testing {
namespace {

TEST(DocsExamples, LanguageReferenceExamplesHold) {
  const std::string doc = read_file(std::string(REDDALERT_SOURCE_DIR) + "/docs/language.md");
  ASSERT_FALSE(doc.empty()) << "docs/language.md is missing";
  std::istringstream in(doc);
  std::string line;
  bool inside = false;
  int examples = 0, lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.rfind("```", 0) == 0) {
      inside = !inside && line.find("reddalert-example") != std::string::npos;
      continue;
    }
    if (!inside || line.empty() || line[0] == '#') continue;
    const std::size_t arrow = line.find(" ==> ");
    ASSERT_NE(arrow, std::string::npos) << "docs/language.md:" << lineno << ": an example needs ` ==> `";
    const std::string expression = line.substr(0, arrow);
    std::string expected = line.substr(arrow + 5);
    while (!expected.empty() && expected.back() == ' ') expected.pop_back();
    const std::string got = eval_expression(expression);
    if (expected.rfind("error: ", 0) == 0) {
      EXPECT_EQ(got.rfind("error: ", 0), 0U) << "docs/language.md:" << lineno << ": " << expression << " gave " << got;
      EXPECT_NE(got.find(expected.substr(7)), std::string::npos) << "docs/language.md:" << lineno << ": " << got;
    } else {
      EXPECT_EQ(got, expected) << "docs/language.md:" << lineno << ": " << expression;
    }
    ++examples;
  }
  EXPECT_GT(examples, 50);
}

}  // namespace
}  // namespace reddalert::testing
