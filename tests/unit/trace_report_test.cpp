// explain's picture of a `where` (app/trace_report.hpp): each value under its caret, a row of
// stems first, values placed right to left on the first row where they fit.
#include <gtest/gtest.h>

#include "app/trace_report.hpp"

namespace reddalert::app {
namespace {

eval::TracedValue at(const base::SourcePtr& f, std::uint32_t line, std::uint32_t column, std::string json) {
  return {base::Location{f, line, column, 1}, std::move(json)};
}

TEST(PowerAssert, ValuesThatDoNotFitGoOneRowDown) {
  const auto f = std::make_shared<base::SourceFile>(
      "p.policy", "  where perm.fromPort != perm.toPort or perm.fromPort not in allowed_ports\n");
  const std::vector<eval::TracedValue> parts = {at(f, 1, 9, "22"),     at(f, 1, 23, "false"), at(f, 1, 26, "22"),
                                                at(f, 1, 38, "false"), at(f, 1, 41, "22"),    at(f, 1, 55, "false"),
                                                at(f, 1, 62, "[22]")};
  const std::vector<std::string> want = {
      "where perm.fromPort != perm.toPort or perm.fromPort not in allowed_ports",
      "      |             |  |           |  |             |      |",
      "      22            |  22          |  22            false  [22]",
      "                    false          false",
  };
  EXPECT_EQ(power_assert(*f, 1, 1, 3, parts, 60), want);
}

TEST(PowerAssert, EachLineOfAClauseKeepsItsValuesAndLongValuesAreCut) {
  const auto f = std::make_shared<base::SourceFile>("p.policy", "  where a.b == null or\n        len(xs) > 0\n");
  const std::vector<eval::TracedValue> parts = {at(f, 1, 9, "\"a very long value\""), at(f, 1, 13, "false"),
                                                at(f, 2, 9, "3"), at(f, 2, 13, "[\"x\",\"y\",\"z\"]")};
  const std::vector<std::string> want = {
      "where a.b == null or", "      |   |", "      |   false",         "      \"a very…",
      "      len(xs) > 0",    "      |   |", "      3   [\"x\",\"y\"…",
  };
  EXPECT_EQ(power_assert(*f, 1, 2, 3, parts, 9), want);
}

TEST(PowerAssert, ALineWithoutValuesIsShownAlone) {
  const auto f = std::make_shared<base::SourceFile>("p.policy", "  where true and\n        x\n");
  EXPECT_EQ(power_assert(*f, 1, 2, 3, {at(f, 2, 9, "1")}, 60),
            (std::vector<std::string>{"where true and", "      x", "      |", "      1"}));
}

}  // namespace
}  // namespace reddalert::app
