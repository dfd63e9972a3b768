// The configuration file (cli.md section 3): YAML, and therefore also the original
// tool's JSON. The only module that uses yaml-cpp. Problems are Diagnostics with the
// file's line and column.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/diagnostic.hpp"
#include "base/time.hpp"
#include "sinks/options.hpp"

namespace reddalert::config {

struct ParamValue {
  nlohmann::json value;
  base::Location location;
};

struct PolicyConfig {
  bool enabled = true;
  bool original = false;    // from the original tool's `plugin.<name>` key
  base::Location location;  // of the policy's key
  std::map<std::string, ParamValue> params;
};

struct HttpConfig {
  std::optional<base::Millis> timeout, connect_timeout;  // 1ms .. 1d
  std::optional<int> retries;                            // 0 .. 10
  std::optional<std::string> ca_file, proxy;
  std::optional<std::size_t> max_response, max_decompressed;  // bytes of one answer, 1KiB or more
};

// Bounds on one run's work (docs/cli.md, "Limits").
struct LimitsConfig {
  std::optional<std::uint64_t> max_steps;  // evaluation steps per document
  std::optional<std::size_t> max_memory;   // bytes of computed values per document
  std::optional<unsigned> jobs;            // threads
};

// What the configuration's `lint:` makes of a warning (operations.md, "lint").
enum class LintLevel { Error, Warning, Off };

struct LintRule {
  LintLevel level = LintLevel::Warning;
  base::Location location;  // of its value
};

struct Config {
  std::string path;
  std::optional<std::string> edda;
  std::string edda_password_env;  // the environment variable with the password of the `edda` URL's user
  std::optional<std::string> snapshot;
  std::vector<std::string> policies;
  std::vector<std::string> import_paths;  // directories imports may resolve into besides the policy root
  std::optional<std::string> state;
  std::optional<base::Millis> lag;
  std::optional<bool> store_until;
  std::optional<base::Millis> state_retention;
  std::vector<std::string> output;
  std::map<std::string, PolicyConfig> policies_config;
  HttpConfig http;
  sinks::EmailOptions email;
  sinks::ElasticsearchOptions elasticsearch;
  sinks::WebhookOptions webhook;
  LimitsConfig limits;
  std::string file;                    // the `file` output appends ndjson here
  std::optional<std::string> waivers;  // the waivers file
  base::Location waivers_location;
  std::map<std::string, LintRule> lint;  // warning code -> its level
};

struct LoadResult {
  std::optional<Config> config;  // empty when the file cannot be read or parsed
  base::Diagnostics diagnostics;
};

LoadResult load(const std::string& path);
// The same from text (tests).
LoadResult load_text(const std::string& path, const std::string& text);

}  // namespace reddalert::config
