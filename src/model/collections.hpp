// The EDDA collections reddalert knows: names as EDDA spells them, record id field and
// document schema. One table, built from docs/edda shapes (design edda.md section 4).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/schema.hpp"

namespace reddalert::model {

struct CollectionInfo {
  std::string name;         // "aws.securityGroups"
  std::string id_field;     // field of a plain document that holds the EDDA record id; may be a dotted path
  std::string description;  // what the collection holds, in one line
  SchemaPtr schema;
};

// nullptr when EDDA has no such collection.
const CollectionInfo* find_collection(std::string_view name);
std::vector<std::string> collection_names();

}  // namespace reddalert::model
