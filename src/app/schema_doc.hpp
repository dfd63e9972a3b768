// `reddalert schema`: the collection table (model/collections.hpp) shown to people and
// programs: the list of collections, the fields of a collection or of an object inside
// its documents, and the reference page docs/schemas.md. Pure: text in, text out.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "model/field_path.hpp"

namespace reddalert::app {

enum class SchemaFormat { Text, Json, Markdown };

// The list of collections, one line (or JSON object) each.
void write_collection_list(std::ostream& out, SchemaFormat format);
// The fields of `target` (or, for a leaf field, the field itself); Text or Json.
void write_schema_target(const model::FieldPath& target, std::ostream& out, SchemaFormat format);
// docs/schemas.md: every collection with every field, nested ones as paths.
std::string schema_page();

}  // namespace reddalert::app
