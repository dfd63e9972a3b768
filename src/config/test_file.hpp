// Policy test files (`*_test.yaml`, cli.md section 7), read with yaml-cpp.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/diagnostic.hpp"
#include "base/time.hpp"

namespace reddalert::config {

// What a case expects of one alert; each part given is compared, the others are not.
struct ExpectedAlert {
  std::string id;
  std::optional<std::vector<std::string>> messages;    // in any order
  std::optional<std::string> severity;                 // the policy's, as the alert carries it
  std::optional<std::vector<nlohmann::json>> details;  // the distinct details, in any order
  std::optional<std::vector<std::string>> resources;   // resource ids, in any order
};

struct TestCase {
  std::string name;
  base::Location location;                       // of the case in the file
  std::map<std::string, nlohmann::json> params;  // param overrides
  std::map<std::string, base::Location> param_locations;
  // `config_params: true`: the configuration's params of the policy first, `params` over them.
  std::optional<base::Location> config_params;
  std::optional<base::Millis> since, until;
  std::map<std::string, nlohmann::json> data;  // collection -> documents or envelopes; null: the source lacks it
  std::map<std::string, base::Location> data_locations;  // collection -> where the file names it
  std::vector<nlohmann::json> first_seen;                // earlier state of first_seen()
  std::vector<ExpectedAlert> expect;
  std::optional<std::size_t> count;                  // `count`: how many alerts, besides `expect`
  std::optional<std::vector<std::string>> problems;  // run-time problems expected, by a part of their message
  // `not_evaluated`: the policy is expected not to be decided on this data (a field it
  // `requires` that no document has), by a part of the reason.
  std::optional<std::string> not_evaluated;
};

struct TestFile {
  std::string path;
  std::string policy;
  base::Location policy_location;
  std::vector<TestCase> cases;
};

struct TestFileResult {
  std::optional<TestFile> file;
  base::Diagnostics diagnostics;
};

TestFileResult load_test_file(const std::string& path);
TestFileResult load_test_text(const std::string& path, const std::string& text);

}  // namespace reddalert::config
