// Run-time values. Document data is never copied: a JSON string, array or object from a
// document is held as a pointer into it (the documents outlive every evaluation).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/dataset.hpp"

namespace re2 {
class RE2;
}

namespace reddalert::eval {

using Json = model::Json;

struct Value;
using List = std::vector<Value>;
using Map = std::map<std::string, Value, std::less<>>;

struct Range {
  double lo;
  double hi;
};

struct Closure;  // defined in evaluate.hpp: a lambda and the frame it closes over

enum class Kind { Null, Bool, Number, String, List, Map, Range, Regex, Function };
const char* kind_name(Kind k);

struct Value {
  std::variant<std::monostate, bool, double, std::string, const Json*, std::shared_ptr<const List>,
               std::shared_ptr<const Map>, Range, std::shared_ptr<const re2::RE2>, std::shared_ptr<const Closure>>
      v;

  Value() = default;
  Value(std::nullptr_t) {}
  Value(bool b) : v(b) {}
  Value(double d) : v(d) {}
  Value(int i) : v(static_cast<double>(i)) {}
  Value(std::int64_t i) : v(static_cast<double>(i)) {}
  Value(std::string s) : v(std::move(s)) {}
  Value(const char* s) : v(std::string(s)) {}
  Value(List l) : v(std::make_shared<const List>(std::move(l))) {}
  Value(Map m) : v(std::make_shared<const Map>(std::move(m))) {}
  Value(Range r) : v(r) {}
  Value(std::shared_ptr<const re2::RE2> r) : v(std::move(r)) {}
  Value(std::shared_ptr<const Closure> c) : v(std::move(c)) {}
  // A borrowed view of document data; scalars are converted, containers and strings are
  // referenced. `j` must outlive the value.
  static Value ref(const Json& j);
  // An owned deep copy of `j` (configuration values, which must outlive nothing).
  static Value copy(const Json& j);

  Kind kind() const;
  bool is_null() const { return kind() == Kind::Null; }
  bool truthy() const { return kind() == Kind::Bool && as_bool(); }

  bool as_bool() const;
  double as_number() const;
  std::string_view as_string() const;  // String only
  const Json* json() const;            // non-null when the value borrows a JSON node
  const List* list() const;            // owned list, or null
  const Map* map() const;              // owned map, or null
  const Range& range() const { return std::get<Range>(v); }
  const re2::RE2& regex() const { return *std::get<std::shared_ptr<const re2::RE2>>(v); }
  const Closure& closure() const { return *std::get<std::shared_ptr<const Closure>>(v); }

  // List and map access, for owned and borrowed containers alike.
  std::size_t size() const;               // elements of a list, entries of a map, bytes of a string
  Value at(std::size_t i) const;          // list element
  Value get(std::string_view key) const;  // map entry or null
  bool has(std::string_view key) const;
  // Calls f(key, value) for maps in key order.
  void for_each_entry(const std::function<void(std::string_view, const Value&)>& f) const;
  // The elements a `for` sees: a list's elements, a map's values, nothing for null.
  // Returns false for other kinds.
  bool for_each_element(const std::function<void(const Value&)>& f) const;
};

bool equal(const Value& a, const Value& b);
// Total order for sort/unique/min/max: null < bool < number < string < list < map.
int compare(const Value& a, const Value& b);

// Owned JSON for output (alerts, details).
Json to_json(const Value& v);
// Compact JSON text, as template strings print non-string values (integers without ".0").
std::string to_text(const Value& v);
// What `{expr}` inserts: strings as they are, everything else as compact JSON.
std::string interpolate(const Value& v);
std::string format_number(double d);

}  // namespace reddalert::eval
