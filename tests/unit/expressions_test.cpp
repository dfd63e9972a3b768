// Table tests: every operator, null rule, builtin and literal, as "expression => value".
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace reddalert::testing {
namespace {

struct Case {
  const char* expression;
  const char* expected;
};

class Expressions : public ::testing::TestWithParam<Case> {};

TEST_P(Expressions, Evaluate) {
  const std::string got = eval_expression(GetParam().expression);
  const std::string expected = GetParam().expected;
  if (expected == "lint: ") {
    // Rejected before evaluation; the exact text is covered by the lint golden files.
    EXPECT_EQ(got.rfind("lint: ", 0), 0U) << GetParam().expression << " gave " << got;
  } else {
    EXPECT_EQ(got, expected) << GetParam().expression;
  }
}

const Case kCases[] = {
    // literals
    {"null", "null"},
    {"true", "true"},
    {"22", "22"},
    {"0.5", "0.5"},
    {"90d", "7776000000"},
    {"500ms", "500"},
    {"15m", "900000"},
    {"'raw {x}'", "\"raw {x}\""},
    {"\"a{1 + 1}b\"", "\"a2b\""},
    {"\"\\{x\\}\"", "\"{x}\""},
    {"\"{[1, 'a']}\"", "\"[1,\\\"a\\\"]\""},
    {"8000..8100", "\"8000..8100\""},
    {"[1, 2, ]", "[1,2]"},
    {"{b: 1, a: 2, \"odd key\": 3}", "{\"a\":2,\"b\":1,\"odd key\":3}"},
    // access and null safety
    {"{a: {b: 1}}.a.b", "1"},
    {"{a: 1}.missing", "null"},
    {"null.a.b", "null"},
    {"[1, 2, 3][-1]", "3"},
    {"[1, 2, 3][5]", "null"},
    {"{a: 1}[\"a\"]", "1"},
    {"[{a: 1}, {b: 2}, {a: 3}][*].a", "[1,3]"},
    {"[{xs: [{n: 1}, {n: 2}]}, {xs: [{n: 3}]}][*].xs[*].n", "[1,2,3]"},
    // arithmetic and strings
    {"1 + 2 * 3", "7"},
    {"(1 + 2) * 3", "9"},
    {"7 % 4", "3"},
    {"-3 + 1", "-2"},
    {"\"a\" + \"b\"", "\"ab\""},
    {"[1, 2] + [3]", "[1,2,3]"},
    {"[1, 2, 3, 2] - [2]", "[1,3]"},
    {"null + 1", "null"},
    {"1 / 0", "error: division by zero"},
    // comparison, logic, null rules
    {"1 < 2", "true"},
    {"\"a\" < \"b\"", "true"},
    {"null < 1", "false"},
    {"null == null", "true"},
    {"1 == \"1\"", "lint: "},
    {"null or true", "true"},
    {"null and true", "false"},
    {"not null", "true"},
    {"not 1 == 2", "true"},
    {"null ?? 5", "5"},
    {"3 ?? 5", "3"},
    {"false or false and true", "false"},
    // membership, containment, matching
    {"22 in [22, 443]", "true"},
    {"(number(\"1\")..2) in [1..2]", "true"},
    {"\"{x => x}\"", "\"<function>\""},
    {"8050 in [22, 8000..8100]", "true"},
    {"23 not in [22, 8000..8100]", "true"},
    {"null in [1]", "false"},
    {"null not in [1]", "true"},
    {"\"a\" in {a: 1}", "true"},
    {"\"ell\" in \"hello\"", "true"},
    {"\"10.1.2.3\" within \"10.0.0.0/8\"", "true"},
    {"\"10.0.0.0/8\" within \"10.0.0.0/16\"", "false"},
    {"\"0.0.0.0/0\" not within [\"10.0.0.0/8\", \"203.0.113.0/24\"]", "true"},
    {"\"2001:db8::1\" within \"2001:db8::/32\"", "true"},
    {"\"::/0\" within \"0.0.0.0/0\"", "false"},
    {"null within [\"10.0.0.0/8\"]", "false"},
    {"null not within []", "true"},
    {"5 within 1..10", "true"},
    {"\"web-01\" matches /^web-\\d+$/", "true"},
    {"\"db\" not matches /^web/", "true"},
    {"null matches /x/", "false"},
    // conditionals, quantifiers, comprehensions, lambdas
    {"if 1 < 2 then \"yes\" else \"no\"", "\"yes\""},
    {"if null then 1 else 2", "2"},
    {"any(x in [1, 2, 3]: x > 2)", "true"},
    {"all(x in []: x > 2)", "true"},
    {"none(x in [1]: x > 2)", "true"},
    {"count(x in [1, 2, 3]: x > 1)", "2"},
    {"[x * 2 for x in [1, 2, 3] if x != 2]", "[2,6]"},
    {"{\"k{x}\": x for x in [1, 2]}", "{\"k1\":1,\"k2\":2}"},
    {"map([1, 2], x => x + 1)", "[2,3]"},
    {"[x for x in {b: 2, a: 1}]", "[1,2]"},
    {"[x for x in null]", "[]"},
    {"any(x in 5: true)", "lint: "},
    // builtins
    {"len(\"abc\")", "3"},
    {"len([1, 2])", "2"},
    {"len(null)", "0"},
    {"lower(\"AbC\")", "\"abc\""},
    {"upper(\"abc\")", "\"ABC\""},
    {"trim(\"  a \")", "\"a\""},
    {"split(\"a,b\", \",\")", "[\"a\",\"b\"]"},
    {"join([1, \"a\"], \"-\")", "\"1-a\""},
    {"join([1], number(\"5\"))", "error: join() separator needs a string, found a number"},
    {"startswith(\"abc\", \"ab\")", "true"},
    {"endswith(\"abc\", \"bc\")", "true"},
    {"replace(\"a.b.c\", \".\", \"/\")", "\"a/b/c\""},
    {"string(22)", "\"22\""},
    {"number(\"22\")", "22"},
    {"number(\"x\")", "null"},
    {"first([3, 4])", "3"},
    {"last([3, 4])", "4"},
    {"first([])", "null"},
    {"sort([3, 1, 2])", "[1,2,3]"},
    {"sort_by([{n: 2}, {n: 1}], x => x.n)", "[{\"n\":1},{\"n\":2}]"},
    {"unique([1, 1, 2])", "[1,2]"},
    {"flatten([[1], [2, [3]]])", "[1,2,[3]]"},
    {"min([3, 1])", "1"},
    {"max([3, 1])", "3"},
    {"sum([1, 2, 3])", "6"},
    {"keys({b: 1, a: 2})", "[\"a\",\"b\"]"},
    {"values({b: 1, a: 2})", "[2,1]"},
    {"filter([1, 2, 3], x => x > 1)", "[2,3]"},
    {"group_by([{t: [\"a\", \"b\"]}, {t: [\"a\"]}], x => x.t)",
     "{\"a\":[{\"t\":[\"a\",\"b\"]},{\"t\":[\"a\"]}],\"b\":[{\"t\":[\"a\",\"b\"]}]}"},
    {"contains([1, 2], 2)", "true"},
    {"cidr(\"10.1.2.3/8\")", "\"10.0.0.0/8\""},
    {"cidr(\"10.1.2.3\")", "\"10.1.2.3/32\""},
    {"cidr(\"2001:DB8::1/32\")", "\"2001:db8::/32\""},
    {"is_public(\"0.0.0.0/0\")", "true"},
    {"is_private(\"192.168.1.0/24\")", "true"},
    {"prefix_len(\"10.0.0.0/8\")", "8"},
    {"overlaps(\"10.0.0.0/8\", \"10.1.0.0/16\")", "true"},
    {"cidr(\"10.0.0.300\")", "error: cidr(): invalid IP or CIDR \"10.0.0.300\""},
    {"tag({tags: [{key: \"Name\", value: \"web\"}]}, \"Name\")", "\"web\""},
    {"tag({tags: [{Key: \"Name\", Value: \"web\"}]}, \"Name\")", "\"web\""},
    {"tag({}, \"Name\")", "null"},
    {"tags({tags: [{key: \"b\", value: 1}, {key: \"a\", value: 2}]})", "{\"a\":2,\"b\":1}"},
    {"time(1764547200000)", "\"2025-12-01T00:00:00Z\""},
    {"time(1500)", "\"1970-01-01T00:00:01.500Z\""},
    {"first_seen(\"ami-1\")", "true"},
    {"slice(\"us-east-1a\", 0, -1)", "\"us-east-1\""},
    {"slice([1, 2, 3, 4], 1, 3)", "[2,3]"},
    {"floor(2.7)", "2"},
    {"floor(-2.5)", "-3"},
    {"round(2.5)", "3"},
    {"slice(\"abc\", 5)", "\"\""},
    {"slice([1, 2, 3], -2)", "[2,3]"},
    {"url_decode(\"%7B%22a%22%3A1%7D+x%2\")", "\"{\\\"a\\\":1} x%2\""},
    {"parse_json(url_decode(\"%7B%22a%22%3A%5B1%2C2%5D%7D\")).a[1]", "2"},
    {"parse_json('{')", "error: parse_json(): the text is not valid JSON"},
    // closures copy the values they capture when they are made
    {"[map([10], f) for f in [(y => x + y) for x in [1, 2]]]", "[[11],[12]]"},
    {"map([1, 2], y => [x * y for x in [10, 20]])", "[[10,20],[20,40]]"},
    {"[map([1], f) for f in [(y => {a: x, b: y}) for x in [\"p\", \"q\"]]]",
     "[[{\"a\":\"p\",\"b\":1}],[{\"a\":\"q\",\"b\":1}]]"},
    {"map(map([2, 3], a => (b => a * b)), f => map([10], f))", "[[20],[30]]"},
    // errors are values: `true or error` is true, `false and error` is false, else the error
    {"1 / 0 == 1 or true", "true"},
    {"true or 1 / 0 == 1", "true"},
    {"false and 1 / 0 == 1", "false"},
    {"1 / 0 == 1 and false", "false"},
    {"1 / 0 == 1 or false", "error: division by zero"},
    {"true and 1 / 0 == 1", "error: division by zero"},
    {"not (1 / 0 == 1)", "error: division by zero"},
    {"any(x in [0, 1]: 1 / x > 0)", "true"},
    {"any(x in [0, 2]: 1 / x > 1)", "error: division by zero"},
    {"all(x in [0, 1]: 1 / x > 5)", "false"},
    {"all(x in [0, 1]: 1 / x > 0)", "error: division by zero"},
    {"none(x in [0, 1]: 1 / x > 0)", "false"},
    {"count(x in [0, 1]: 1 / x > 0)", "error: division by zero"},
    {"(1 / 0) ?? 2", "error: division by zero"},
    {"[1 / x for x in [1, 0]]", "error: division by zero"},
    {"\"10.0.0.1\" within [number(\"1\")..2, \"10.0.0.0/8\"]", "true"},
    // run-time type problems are values, not crashes
    {"\"a\" < 1", "lint: "},
    {"[1] < 2", "lint: "},
    {"1 + {a: 1}.a + \"x\"", "lint: "},
};

INSTANTIATE_TEST_SUITE_P(Table, Expressions, ::testing::ValuesIn(kCases));

TEST(ExpressionsRuntime, TypeMismatchOnDataIsAProblemNotACrash) {
  // The checker cannot see through `number()`, so this one fails at run time.
  EXPECT_EQ(eval_expression("number(\"1\") < \"x\""), "error: cannot order number and string with `<`");
}

}  // namespace
}  // namespace reddalert::testing
