// A field path into a collection's documents as people write it (`aws.securityGroups`,
// `aws.securityGroups.ipPermissions[*].ipv4Ranges`, `view.instances.metadataOptions`),
// resolved in the collection table: what `reddalert schema` shows and what a policy's
// `requires` names.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/collections.hpp"

namespace reddalert::model {

// What `COLLECTION[.path]` names: the collection, the field the path ends at (nullptr for
// the document itself) and the schema shown, lists followed to their element.
struct FieldPath {
  const CollectionInfo* collection = nullptr;
  std::string path;                    // "ipPermissions.ipv4Ranges", "" for the document
  std::vector<std::string> fields;     // {"ipPermissions", "ipv4Ranges"}
  const SchemaField* field = nullptr;  // the last field of the path
  const Schema* shown = nullptr;       // its schema, through lists to their element
};

// A field of a list is read from its element; `[*]` (or `[]`) may say so. nullopt and
// one line in `error` (with a did-you-mean) when the collection or a field is not in the
// table.
std::optional<FieldPath> resolve_field_path(std::string_view text, std::string& error);

// The schema of the elements of `s`, through nested lists; `s` itself when it is no list.
const Schema* element_of(const Schema* s);

}  // namespace reddalert::model
