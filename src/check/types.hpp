// What lint knows statically about a value: its kind, and for documents the schema and
// collection they come from. Unknown is always acceptable.
#pragma once

#include <memory>
#include <string>

#include "lang/builtins.hpp"
#include "model/schema.hpp"

namespace reddalert::check {

struct Type {
  enum class Kind { Unknown, Null, Bool, Number, String, List, Map, Range, Regex, Function } kind = Kind::Unknown;
  const model::Schema* schema = nullptr;  // for values read from documents
  std::string collection;                 // for resource documents: the collection they belong to
  std::shared_ptr<const Type> element;    // for lists

  static Type of(Kind k) { return Type{k, nullptr, {}, nullptr}; }
  static Type list_of(Type element);
  static Type from_schema(const model::Schema* s);
  // The one kind of a signature's set besides null, else unknown.
  static Type of_kinds(lang::Kinds kinds);
  bool known() const { return kind != Kind::Unknown; }
  Type element_type() const;  // what `for` binds when iterating this
};

const char* describe(Type::Kind k);
// The signature kind of a known kind (0 for unknown).
lang::Kinds kinds_of(Type::Kind k);
// "a string, a list or a map" (null left out: every builtin that takes it says so itself).
std::string describe_kinds(lang::Kinds kinds);

}  // namespace reddalert::check
