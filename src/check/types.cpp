#include "check/types.hpp"

namespace reddalert::check {

Type Type::list_of(Type element) {
  Type t = of(Kind::List);
  t.element = std::make_shared<const Type>(std::move(element));
  return t;
}

Type Type::from_schema(const model::Schema* s) {
  if (s == nullptr) return of(Kind::Unknown);
  using SK = model::Schema::Kind;
  switch (s->kind) {
    case SK::String: return of(Kind::String);
    case SK::Number: return of(Kind::Number);
    case SK::Bool: return of(Kind::Bool);
    case SK::List: return list_of(from_schema(s->element.get()));
    case SK::Object: {
      Type t = of(Kind::Map);
      t.schema = s;
      return t;
    }
    case SK::Any: return of(Kind::Unknown);
  }
  return of(Kind::Unknown);
}

Type Type::of_kinds(lang::Kinds kinds) {
  using L = lang::Kind;
  const auto without_null = static_cast<lang::Kinds>(kinds & ~lang::kinds(L::Null));
  switch (without_null) {
    case lang::kinds(L::Bool): return of(Kind::Bool);
    case lang::kinds(L::Number): return of(Kind::Number);
    case lang::kinds(L::String): return of(Kind::String);
    case lang::kinds(L::List): return of(Kind::List);
    case lang::kinds(L::Map): return of(Kind::Map);
    case lang::kinds(L::Range): return of(Kind::Range);
    case lang::kinds(L::Regex): return of(Kind::Regex);
    case lang::kinds(L::Function): return of(Kind::Function);
    default: return of(Kind::Unknown);
  }
}

Type Type::element_type() const {
  if (kind == Kind::List && element) return *element;
  return of(Kind::Unknown);
}

const char* describe(Type::Kind k) {
  switch (k) {
    case Type::Kind::Unknown: return "value";
    case Type::Kind::Null: return "null";
    case Type::Kind::Bool: return "boolean";
    case Type::Kind::Number: return "number";
    case Type::Kind::String: return "string";
    case Type::Kind::List: return "list";
    case Type::Kind::Map: return "map";
    case Type::Kind::Range: return "range";
    case Type::Kind::Regex: return "regex";
    case Type::Kind::Function: return "function";
  }
  return "value";
}

}  // namespace reddalert::check
