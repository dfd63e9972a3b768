// `reddalert schema`: the collection table (model/collections.hpp) shown to people and
// programs: the list of collections, the fields of a collection or of an object inside
// its documents, and the reference page docs/schemas.md. Pure: text in, text out.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "model/collections.hpp"

namespace reddalert::app {

enum class SchemaFormat { Text, Json, Markdown };

// What `COLLECTION[.path]` names: the collection, the field the path ends at (nullptr for
// the document itself) and the schema shown, lists followed to their element.
struct SchemaTarget {
  const model::CollectionInfo* collection = nullptr;
  std::string path;                           // "ipPermissions.ipv4Ranges", "" for the document
  const model::SchemaField* field = nullptr;  // the last field of the path
  const model::Schema* shown = nullptr;       // its schema, through lists to their element
};

// `aws.securityGroups`, `aws.securityGroups.ipPermissions[*].ipv4Ranges`,
// `aws.instances.instances.state`: a field of a list is read from its element, `[*]`
// (or `[]`) may say so. nullopt and one line in `error` (with a did-you-mean) when the
// collection or a field is not in the table.
std::optional<SchemaTarget> resolve_schema_path(std::string_view text, std::string& error);

// The list of collections, one line (or JSON object) each.
void write_collection_list(std::ostream& out, SchemaFormat format);
// The fields of `target` (or, for a leaf field, the field itself); Text or Json.
void write_schema_target(const SchemaTarget& target, std::ostream& out, SchemaFormat format);
// docs/schemas.md: every collection with every field, nested ones as paths.
std::string schema_page();

}  // namespace reddalert::app
