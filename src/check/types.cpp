#include "check/types.hpp"

#include <vector>

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

lang::Kinds kinds_of(Type::Kind k) {
  using L = lang::Kind;
  switch (k) {
    case Type::Kind::Unknown: return 0;
    case Type::Kind::Null: return lang::kinds(L::Null);
    case Type::Kind::Bool: return lang::kinds(L::Bool);
    case Type::Kind::Number: return lang::kinds(L::Number);
    case Type::Kind::String: return lang::kinds(L::String);
    case Type::Kind::List: return lang::kinds(L::List);
    case Type::Kind::Map: return lang::kinds(L::Map);
    case Type::Kind::Range: return lang::kinds(L::Range);
    case Type::Kind::Regex: return lang::kinds(L::Regex);
    case Type::Kind::Function: return lang::kinds(L::Function);
  }
  return 0;
}

std::string describe_kinds(lang::Kinds kinds) {
  std::vector<std::string> names;
  for (const Type::Kind k : {Type::Kind::Bool, Type::Kind::Number, Type::Kind::String, Type::Kind::List,
                             Type::Kind::Map, Type::Kind::Range, Type::Kind::Regex, Type::Kind::Function}) {
    if ((kinds & kinds_of(k)) != 0) names.push_back(std::string("a ") + describe(k));
  }
  if (names.empty()) return "null";
  std::string out = names[0];
  for (std::size_t i = 1; i < names.size(); ++i) out += (i + 1 == names.size() ? " or " : ", ") + names[i];
  return out;
}

}  // namespace reddalert::check
