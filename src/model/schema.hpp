// Field schemas of EDDA documents, used by lint to check field paths and types.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace reddalert::model {

// One node of a document schema. `Object` lists its known fields; an open object
// (`*` in the notation) also accepts any other field, e.g. flattened AWS tag keys.
struct Schema {
  enum class Kind { Any, String, Number, Bool, List, Object } kind = Kind::Any;
  std::map<std::string, std::shared_ptr<const Schema>, std::less<>> fields;
  std::shared_ptr<const Schema> element;  // List
  bool open = false;                      // Object

  const Schema* field(std::string_view name) const;
  std::vector<std::string> field_names() const;
};

using SchemaPtr = std::shared_ptr<const Schema>;

// Parses the compact notation used by the collection table:
//   string | number | bool | any | [T] | {name: T, other: T, *} | $name (a definition)
// Throws std::invalid_argument on a malformed table entry (a bug, not user input).
SchemaPtr parse_schema(std::string_view text, const std::map<std::string, SchemaPtr, std::less<>>& definitions);

}  // namespace reddalert::model
