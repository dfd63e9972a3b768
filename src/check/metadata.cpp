#include "check/metadata.hpp"

#include <algorithm>

#include "base/url.hpp"

namespace reddalert::check {

std::string metadata_url_problem(std::string_view url) {
  std::string problem = base::url_problem(url, base::kHttpSchemes);
  if (!problem.empty()) return problem;
  const std::size_t start = url.find("://") + 3;
  const std::string_view authority = url.substr(start, url.find_first_of("/?#", start) - start);
  if (authority.find('@') != std::string_view::npos)
    return "it carries a user name or password, which every output would show";
  return {};
}

std::optional<std::string> plain_string(const ast::Expr& e) {
  if (const auto* raw = e.as<ast::RawString>()) return raw->value;
  if (const auto* ts = e.as<ast::TemplateString>()) {
    if (ts->parts.size() == 1 && std::holds_alternative<std::string>(ts->parts[0]))
      return std::get<std::string>(ts->parts[0]);
  }
  return std::nullopt;
}

Controls controls_of(const ast::Policy& policy) {
  Controls out;
  for (const ast::MetaField& m : policy.meta) {
    if (m.key != "controls") continue;
    const auto* map = m.value->as<ast::MapLit>();
    if (!map) continue;
    for (const ast::MapEntry& entry : map->entries) {
      const auto* list = entry.value->as<ast::ListLit>();
      if (!list) continue;
      std::vector<std::string>& ids = out[entry.key];
      for (const ast::ExprPtr& item : list->items) {
        if (const std::optional<std::string> id = plain_string(*item)) ids.push_back(*id);
      }
    }
  }
  return out;
}

std::vector<std::string> requires_of(const ast::Policy& policy) {
  std::vector<std::string> out;
  for (const ast::MetaField& m : policy.meta) {
    if (m.key != "requires") continue;
    if (const auto* list = m.value->as<ast::ListLit>()) {
      for (const ast::ExprPtr& item : list->items) {
        if (const std::optional<std::string> path = plain_string(*item)) out.push_back(*path);
      }
    }
  }
  return out;
}

bool maps_to_framework(const ast::Policy& policy, const std::set<std::string>& frameworks) {
  const Controls controls = controls_of(policy);
  return std::any_of(controls.begin(), controls.end(), [&](const auto& c) { return frameworks.count(c.first) > 0; });
}

}  // namespace reddalert::check
