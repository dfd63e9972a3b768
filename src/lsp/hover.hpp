// textDocument/hover: a builtin's signature and summary (the builtin table's), a field's
// kind from the collection schema, a param's default and configured value, a declaration's
// definition (laid out by `fmt`), a local's inferred type, a collection's record id.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "check/types.hpp"
#include "lsp/analysis.hpp"

namespace reddalert::lsp {

// "a string", "a aws.securityGroups document", "a list of numbers"...: what lint knows.
std::string describe_type(const check::Type& t);

// A Hover, or null where there is nothing to say.
nlohmann::json hover(const Analysis& a, std::size_t offset);

}  // namespace reddalert::lsp
