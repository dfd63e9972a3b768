// Field schemas of EDDA documents, used by lint to check field paths and types, and by
// `reddalert schema` to show them.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace reddalert::model {

struct Schema;
using SchemaPtr = std::shared_ptr<const Schema>;

// A field of an object: its schema, and what the table says about it in that object (a
// shared definition such as $tag has one schema but is a field of many objects).
struct SchemaField {
  SchemaPtr schema;
  // EDDA may leave the field out or write null: AWS SDK beans have no value for it (an ip
  // range's description, a private instance's publicIpAddress), or older documents predate it.
  bool optional = false;
  std::string example;  // compact JSON text of a realistic value; empty when the table gives none
};

// One node of a document schema. `Object` lists its known fields; an open object
// (`*` in the notation) also accepts any other field, e.g. flattened AWS tag keys.
struct Schema {
  enum class Kind { Any, String, Number, Bool, List, Object } kind = Kind::Any;
  std::map<std::string, SchemaField, std::less<>> fields;
  SchemaPtr element;  // List
  bool open = false;  // Object

  const Schema* field(std::string_view name) const;
  const SchemaField* field_entry(std::string_view name) const;
  std::vector<std::string> field_names() const;
};

// Parses the compact notation used by the collection table:
//   string | number | bool | any | [T] | {name: T, other: T, *} | $name (a definition)
// and in an object, per field: `name?: T` when EDDA may omit it, `name: T = VALUE` with an
// example VALUE in JSON that must fit T ("sg-0a1b", 22, true, ["0.0.0.0/0"]).
// Throws std::invalid_argument on a malformed table entry (a bug, not user input).
SchemaPtr parse_schema(std::string_view text, const std::map<std::string, SchemaPtr, std::less<>>& definitions);

// "string", "number", "bool", "any", "object", "list of T".
std::string describe_kind(const Schema& schema);

}  // namespace reddalert::model
