// What the policy metadata for remediation and compliance says besides the kinds of its
// values (language.md, "Metadata"): `help_url` and `references` must be http(s) URLs, and
// `controls` is a literal map from a framework id to the ids of its controls, read where
// the policies are loaded (`check --control FRAMEWORK` selects by it before anything is
// computed), checked by the checker (E0304, E0305) and carried by the compiled policy.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ast/ast.hpp"

namespace reddalert::check {

// Framework id -> its control ids, in the order written ("cis-aws-3.0" -> {"5.2", "5.3"}).
using Controls = std::map<std::string, std::vector<std::string>>;

// Why `url` cannot be a policy's `help_url` or one of its `references`: empty when it is
// an absolute http:// or https:// URL with a host and without a user or password (every
// output shows it).
std::string metadata_url_problem(std::string_view url);
// The hint of E0303.
inline constexpr const char* kUrlHint =
    "write the page's absolute address, e.g. \"https://wiki.example.com/security/ssh\"";

// The text of a string literal without `{...}` ("..." or '...'); nullopt for anything else.
std::optional<std::string> plain_string(const ast::Expr& e);

// The policy's `controls` as written; empty without the item. What is not a list of plain
// strings (E0304) is left out.
Controls controls_of(const ast::Policy& policy);

// The policy's `requires` as written: the field paths (`view.instances.metadataOptions`)
// without which the data cannot decide it; empty without the item.
std::vector<std::string> requires_of(const ast::Policy& policy);

// Whether the policy's `controls` names one of `frameworks`.
bool maps_to_framework(const ast::Policy& policy, const std::set<std::string>& frameworks);

}  // namespace reddalert::check
