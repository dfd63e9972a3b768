// Run-time values: 16 bytes, trivially copyable, never owning. Document data is viewed in
// place (a document node and a value have the same layout for the JSON kinds); computed
// strings, lists and maps live in an arena that outlives the value's use: the binding's
// arena for temporaries, a run-long one for top-level lets, the program's for constants.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/doc.hpp"

namespace re2 {
class RE2;
}

namespace reddalert::eval {

enum class Kind : std::uint8_t { Null = 0, Bool, Number, String, List, Map, Range, Regex, Function, Error };
static_assert(static_cast<int>(Kind::Map) == static_cast<int>(model::DocType::Map));
static_assert(static_cast<int>(Kind::String) == static_cast<int>(model::DocType::String));
const char* kind_name(Kind k);

struct Value;
struct Range {
  double lo;
  double hi;
};
struct MapEntry;
struct Closure;    // eval/nodes.hpp: a lambda and the values it captured
struct ErrorInfo;  // eval/context.hpp: a run-time problem and where it arose

struct Value {
  Kind kind = Kind::Null;
  std::uint8_t rep = 0;  // List: kDocItems or kValueItems; Map: kDocObject or kValueMap
  std::uint16_t reserved = 0;
  std::uint32_t size = 0;  // String: bytes; List: elements; Map: entries
  union {
    std::uint64_t bits = 0;
    bool boolean;
    double num;
    const char* chars;
    const model::Doc* doc_items;
    const Value* items;
    const model::ObjectRep* object;
    const MapEntry* entries;
    const Range* range;
    const re2::RE2* regex;
    const Closure* closure;
    const ErrorInfo* error;
  };

  static constexpr std::uint8_t kDocItems = 0, kValueItems = 1;
  static constexpr std::uint8_t kDocObject = 0, kValueMap = 1;

  Value() = default;
  static Value null() { return {}; }
  static Value of(bool b) {
    Value v;
    v.kind = Kind::Bool;
    v.boolean = b;
    return v;
  }
  static Value number(double d) {
    Value v;
    v.kind = Kind::Number;
    v.num = d;
    return v;
  }
  // A view of `s`, which must outlive the value.
  static Value string(std::string_view s) {
    Value v;
    v.kind = Kind::String;
    v.size = static_cast<std::uint32_t>(s.size());
    v.chars = s.data();
    return v;
  }
  static Value list(const Value* items, std::size_t n) {
    Value v;
    v.kind = Kind::List;
    v.rep = kValueItems;
    v.size = static_cast<std::uint32_t>(n);
    v.items = items;
    return v;
  }
  static Value doc_list(const model::Doc* items, std::size_t n) {
    Value v;
    v.kind = Kind::List;
    v.rep = kDocItems;
    v.size = static_cast<std::uint32_t>(n);
    v.doc_items = items;
    return v;
  }
  static Value map(const MapEntry* entries, std::size_t n) {
    Value v;
    v.kind = Kind::Map;
    v.rep = kValueMap;
    v.size = static_cast<std::uint32_t>(n);
    v.entries = entries;
    return v;
  }
  // Document data, viewed in place; numbers become doubles.
  static Value of(const model::Doc& d) {
    Value v;
    static_assert(sizeof(Value) == sizeof(model::Doc));
    std::memcpy(static_cast<void*>(&v), &d, sizeof v);
    if (d.type == model::DocType::Number) {
      v.rep = 0;
      v.num = d.number();
    }
    return v;
  }

  bool is_null() const { return kind == Kind::Null; }
  bool is_error() const { return kind == Kind::Error; }
  // Only `true` is true: null and everything else count as false.
  bool truthy() const { return kind == Kind::Bool && boolean; }
  std::string_view str() const { return {chars, size}; }
  bool doc_backed() const { return rep == kDocItems; }  // List and Map: viewing document data

  // A list's element.
  Value at(std::size_t i) const { return rep == kDocItems ? of(doc_items[i]) : items[i]; }
  // A map's entry, or null. `key` is the interned id of `name`, for document objects.
  Value get(model::Key key, std::string_view name) const;
  Value get(std::string_view name) const;
  bool has(std::string_view name) const;

  // Calls f(element) for a list's elements or a map's values (key order); returns false
  // when f returns false (stopping early).
  template <class F>
  bool each(F&& f) const;
  // Calls f(key, value) for a map's entries in key order.
  template <class F>
  void each_entry(F&& f) const;
};
static_assert(sizeof(Value) == 16);

struct MapEntry {
  Value key;  // a String
  Value value;
};

template <class F>
bool Value::each(F&& f) const {
  if (kind == Kind::List) {
    for (std::uint32_t i = 0; i < size; ++i) {
      if (!f(at(i))) return false;
    }
  } else if (kind == Kind::Map) {
    if (rep == kDocObject) {
      const model::Doc* values = object->values();
      for (std::uint32_t i = 0; i < size; ++i) {
        if (!f(of(values[i]))) return false;
      }
    } else {
      for (std::uint32_t i = 0; i < size; ++i) {
        if (!f(entries[i].value)) return false;
      }
    }
  }
  return true;
}

template <class F>
void Value::each_entry(F&& f) const {
  if (kind != Kind::Map) return;
  if (rep == kDocObject) {
    const model::Key* keys = object->keys();
    const model::Doc* values = object->values();
    for (std::uint32_t i = 0; i < size; ++i) f(model::key_name(keys[i]), of(values[i]));
  } else {
    for (std::uint32_t i = 0; i < size; ++i) f(entries[i].key.str(), entries[i].value);
  }
}

bool equal(const Value& a, const Value& b);
// Total order for sort, unique, min, max: null < bool < number < string < list < map <
// range < regex < function; lists and maps element by element (maps: key, then value).
int compare(const Value& a, const Value& b);
// Consistent with equal(): equal values hash alike.
std::uint64_t hash(const Value& v);

// Owned JSON for output (alerts, details); document data as written.
nlohmann::json to_json(const Value& v);
// Text made of values is bounded like the values themselves: past `limit` bytes of `out`
// (limits.max_memory during an evaluation) the functions below throw base::ArenaLimit. A
// list of a thousand references to one long string costs 16 bytes per element as a value,
// but a thousand copies as text.
inline constexpr std::size_t kNoTextLimit = static_cast<std::size_t>(-1);

// Compact JSON text: byte for byte json_text(to_json(v)), without building it.
std::string json_text(const Value& v, std::size_t limit = kNoTextLimit);
// Compact JSON text, as template strings print non-string values (integers without ".0").
void append_text(std::string& out, const Value& v, std::size_t limit = kNoTextLimit);
std::string to_text(const Value& v);
// What `{expr}` inserts: strings as they are, everything else as compact JSON.
void append_interpolation(std::string& out, const Value& v, std::size_t limit = kNoTextLimit);
std::string interpolate(const Value& v);
void append_number(std::string& out, double d);
std::string format_number(double d);

}  // namespace reddalert::eval
