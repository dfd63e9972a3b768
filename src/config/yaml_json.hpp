// Internal to config/: YAML nodes as JSON values, and their source locations.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>

#include "base/diagnostic.hpp"
#include "base/source_file.hpp"
#include "base/text.hpp"

namespace reddalert::config {

// Plain scalars become booleans, null, integers or decimals where they read as such;
// quoted scalars stay strings.
nlohmann::json yaml_to_json(const YAML::Node& n);
base::Location yaml_location(const base::SourcePtr& file, const YAML::Node& n, std::size_t length = 1);
base::Location yaml_location(const base::SourcePtr& file, const YAML::Mark& mark);
// The document of `file`, or nullopt after adding diagnostic `code` at the syntax error.
std::optional<YAML::Node> parse_yaml(const base::SourcePtr& file, const char* code, base::Diagnostics& diags);

// Parses `text` (the file `path`) and returns `read(file, root)`, an optional. Text that
// is not UTF-8 or a syntax error is diagnostic `syntax_code`; a conversion yaml-cpp refuses inside `read` (a map
// where a name belongs) is `shape_code` at its mark, "invalid <what>: ...". `shown`: the
// text as diagnostics show it (secrets masked), empty for the text itself.
template <class Read>
auto read_yaml(const std::string& path, const std::string& text, const std::string& shown, const char* syntax_code,
               const char* shape_code, const char* what, base::Diagnostics& diags, Read read) {
  auto file = std::make_shared<base::SourceFile>(path, text, shown);
  decltype(read(file, YAML::Node())) result;
  if (const auto bad = base::first_invalid_utf8(text)) {  // its strings end up in JSON
    diags.error(syntax_code, base::location_at(file, *bad), "the file is not valid UTF-8", "save it as UTF-8");
    return result;
  }
  if (const std::optional<YAML::Node> root = parse_yaml(file, syntax_code, diags)) {
    try {
      result = read(file, *root);
    } catch (const YAML::Exception& e) {
      diags.error(shape_code, yaml_location(file, e.mark), std::string("invalid ") + what + ": " + e.msg);
      result.reset();
    }
  }
  return result;
}

}  // namespace reddalert::config
