// Internal to config/: YAML nodes as JSON values, and their source locations.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <optional>

#include "base/diagnostic.hpp"
#include "base/source_file.hpp"

namespace reddalert::config {

// Plain scalars become booleans, null, integers or decimals where they read as such;
// quoted scalars stay strings.
nlohmann::json yaml_to_json(const YAML::Node& n);
base::Location yaml_location(const base::SourcePtr& file, const YAML::Node& n, std::size_t length = 1);
base::Location yaml_location(const base::SourcePtr& file, const YAML::Mark& mark);
// The document of `file`, or nullopt after adding diagnostic `code` at the syntax error.
std::optional<YAML::Node> parse_yaml(const base::SourcePtr& file, const char* code, base::Diagnostics& diags);

}  // namespace reddalert::config
