#include "config/yaml_json.hpp"

namespace reddalert::config {

nlohmann::json yaml_to_json(const YAML::Node& n) {
  using nlohmann::json;
  switch (n.Type()) {
    case YAML::NodeType::Null: return nullptr;
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& e : n) out.push_back(yaml_to_json(e));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : n) out[kv.first.Scalar()] = yaml_to_json(kv.second);
      return out;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      if (n.Tag() == "!") return s;  // quoted
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
      if (s == "null" || s == "~" || s == "Null" || s == "NULL") return nullptr;
      try {
        std::size_t used = 0;
        const long long i = std::stoll(s, &used);
        if (used == s.size()) return i;
        const double d = std::stod(s, &used);
        if (used == s.size()) return d;
      } catch (const std::exception&) {
      }
      return s;
    }
    default: return nullptr;
  }
}

base::Location yaml_location(const base::SourcePtr& file, const YAML::Mark& mark) {
  if (mark.line < 0) return {file, 1, 1, 1};
  return {file, static_cast<std::uint32_t>(mark.line + 1), static_cast<std::uint32_t>(mark.column + 1), 1};
}

std::optional<YAML::Node> parse_yaml(const base::SourcePtr& file, const char* code, base::Diagnostics& diags) {
  try {
    return YAML::Load(file->text());
  } catch (const YAML::ParserException& e) {
    diags.error(code, yaml_location(file, e.mark), "invalid YAML: " + e.msg);
  } catch (const YAML::Exception& e) {
    diags.error(code, yaml_location(file, e.mark), std::string("invalid YAML: ") + e.what());
  }
  return std::nullopt;
}

base::Location yaml_location(const base::SourcePtr& file, const YAML::Node& n, std::size_t length) {
  const YAML::Mark m = n.Mark();
  if (m.line < 0) return {file, 0, 0, 1};
  return {file, static_cast<std::uint32_t>(m.line + 1), static_cast<std::uint32_t>(m.column + 1),
          static_cast<std::uint32_t>(length)};
}

}  // namespace reddalert::config
