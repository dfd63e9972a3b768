// Golden files: tests/golden/parse/*.policy -> .ast, tests/golden/lint/*.policy -> .err,
// tests/golden/eval/*.policy (+ .data.json) -> .out. UPDATE_GOLDEN=1 rewrites them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "app/case_runner.hpp"
#include "ast/printer.hpp"
#include "syntax/parse.hpp"
#include "test_support.hpp"

namespace reddalert::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> cases(const std::string& stage) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(fs::path(REDDALERT_SOURCE_DIR) / "tests/golden" / stage)) {
    if (e.path().extension() == ".policy") out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void compare(const std::string& expected_path, const std::string& actual) {
  if (std::getenv("UPDATE_GOLDEN")) {
    write_file(expected_path, actual);
    return;
  }
  ASSERT_TRUE(fs::exists(expected_path)) << expected_path << " is missing; run with UPDATE_GOLDEN=1";
  EXPECT_EQ(read_file(expected_path), actual) << "golden file " << expected_path << " differs";
}

std::string relative(const std::string& path) { return fs::relative(path, REDDALERT_SOURCE_DIR).string(); }

TEST(Golden, Parse) {
  const auto all = cases("parse");
  EXPECT_FALSE(all.empty());
  for (const std::string& p : all) {
    const auto parsed = syntax::parse(std::make_shared<base::SourceFile>(relative(p), read_file(p)));
    std::string out;
    for (const auto& d : parsed.diagnostics.sorted()) out += base::render(d);
    if (parsed.module) out += base::to_text(ast::dump(*parsed.module));
    compare(fs::path(p).replace_extension(".ast").string(), out);
  }
}

TEST(Golden, Lint) {
  const auto all = cases("lint");
  EXPECT_FALSE(all.empty());
  for (const std::string& p : all) {
    compare(fs::path(p).replace_extension(".err").string(), lint_text(relative(p), read_file(p)));
  }
}

TEST(Golden, Eval) {
  const auto all = cases("eval");
  EXPECT_FALSE(all.empty());
  for (const std::string& p : all) {
    const fs::path data_path = fs::path(p).replace_extension(".data.json");
    const nlohmann::json data = nlohmann::json::parse(read_file(data_path.string()));
    std::map<std::string, nlohmann::json> collections;
    for (const auto& [k, v] : data["collections"].items()) collections[k] = v;
    const nlohmann::json out =
        run_policies(relative(p), read_file(p), collections, data.value("since", 0LL), data.value("until", 0LL));
    compare(fs::path(p).replace_extension(".out").string(), out.dump(2) + "\n");
  }
}

// Join indexes and projected documents are optimisations: the same alerts and problems
// with them and without.
TEST(Golden, EvalIsTheSameWithoutIndexesAndProjections) {
  const auto all = cases("eval");
  for (const std::string& p : all) {
    const nlohmann::json data = nlohmann::json::parse(read_file(fs::path(p).replace_extension(".data.json").string()));
    std::map<std::string, nlohmann::json> collections;
    for (const auto& [k, v] : data["collections"].items()) collections[k] = v;
    const auto run = [&](bool optimised) {
      return run_policies(relative(p), read_file(p), collections, data.value("since", 0LL), data.value("until", 0LL),
                          {optimised, optimised});
    };
    EXPECT_EQ(run(true), run(false)) << p;
  }
}

}  // namespace
}  // namespace reddalert::testing

namespace reddalert::testing {
namespace {

// Every shipped policy's test cases give the same alerts and problems with join indexes
// and projected documents as without.
TEST(ShippedPolicies, TheSameWithoutIndexesAndProjections) {
  const std::string dir = std::string(REDDALERT_SOURCE_DIR) + "/policies";
  const app::Engine engine(app::LoadRequest::policies_only({dir}));
  ASSERT_FALSE(engine.diagnostics().has_errors());
  app::CaseRunner optimised(engine), plain(engine, {false, false});
  std::size_t cases = 0;
  for (const std::string& f : app::find_test_files({dir})) {
    const config::TestFileResult r = config::load_test_file(f);
    ASSERT_TRUE(r.file) << f;
    for (const config::TestCase& c : r.file->cases) {
      const app::CaseOutcome a = optimised.run(*r.file, c), b = plain.run(*r.file, c);
      std::string ta, tb;
      for (const auto& alert : a.alerts) model::append_json(ta, alert);
      for (const auto& alert : b.alerts) model::append_json(tb, alert);
      EXPECT_EQ(ta, tb) << f << ": " << c.name;
      EXPECT_EQ(a.problems.size(), b.problems.size()) << f << ": " << c.name;
      ++cases;
    }
  }
  EXPECT_GT(cases, 30U);
}

}  // namespace
}  // namespace reddalert::testing
