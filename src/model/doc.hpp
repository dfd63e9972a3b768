// The document model: EDDA's JSON as compact, immutable 16-byte nodes in an arena per
// collection. Strings are views into the arena, arrays are runs of nodes, objects are runs
// of (key id, node) sorted by key name. eval::Value has the same layout for these kinds, so
// reading document data during evaluation copies 16 bytes and allocates nothing.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/arena.hpp"
#include "model/keys.hpp"

namespace reddalert::model {

// The numbering is eval::Kind's for the same kinds (static_assert in eval/value.hpp).
enum class DocType : std::uint8_t { Null = 0, Bool = 1, Number = 2, String = 3, List = 4, Map = 5 };
// How a number was written: kept so that output shows it as it was (1 stays 1, 1.0 stays 1.0).
enum class NumberRep : std::uint8_t { Int = 0, UInt = 1, Float = 2 };

struct ObjectRep;

struct Doc {
  DocType type = DocType::Null;
  std::uint8_t rep = 0;  // Number: NumberRep
  std::uint16_t reserved = 0;
  std::uint32_t size = 0;  // String: bytes; List: elements; Map: members
  union {
    std::uint64_t bits = 0;
    bool boolean;
    std::int64_t i;
    std::uint64_t u;
    double d;
    const char* chars;
    const Doc* items;
    const ObjectRep* object;
  };

  static Doc null() { return {}; }
  static Doc boolean_of(bool b) {
    Doc d;
    d.type = DocType::Bool;
    d.boolean = b;
    return d;
  }
  static Doc integer(std::int64_t v) {
    Doc d;
    d.type = DocType::Number;
    d.rep = static_cast<std::uint8_t>(NumberRep::Int);
    d.i = v;
    return d;
  }
  static Doc unsigned_integer(std::uint64_t v) {
    Doc d;
    d.type = DocType::Number;
    d.rep = static_cast<std::uint8_t>(NumberRep::UInt);
    d.u = v;
    return d;
  }
  static Doc floating(double v) {
    Doc d;
    d.type = DocType::Number;
    d.rep = static_cast<std::uint8_t>(NumberRep::Float);
    d.d = v;
    return d;
  }

  std::string_view string() const { return {chars, size}; }
  double number() const {
    switch (static_cast<NumberRep>(rep)) {
      case NumberRep::Int: return static_cast<double>(i);
      case NumberRep::UInt: return static_cast<double>(u);
      case NumberRep::Float: return d;
    }
    return d;
  }
  std::span<const Doc> elements() const { return {items, size}; }
};
static_assert(sizeof(Doc) == 16);

inline constexpr std::uint32_t kNoRecord = 0xffffffffu;

// An object's members: a header, `size` keys, then `size` values, sorted by key name
// (bytes, unsigned) with no key twice. A resource document's root object names its record.
struct ObjectRep {
  std::uint32_t size;
  std::uint32_t record;      // the resource's record in its collection, or kNoRecord
  std::uint32_t collection;  // the data set's index of that collection
  std::uint32_t reserved;

  const Key* keys() const { return reinterpret_cast<const Key*>(this + 1); }
  const Doc* values() const {
    const std::size_t key_bytes = (static_cast<std::size_t>(size) * sizeof(Key) + 7) & ~std::size_t{7};
    return reinterpret_cast<const Doc*>(reinterpret_cast<const char*>(this + 1) + key_bytes);
  }
  // The member named `name` (whose id is `key`), or null.
  const Doc* find(Key key, std::string_view name) const {
    const Key* k = keys();
    if (size <= 16) {
      for (std::uint32_t i = 0; i < size; ++i) {
        if (k[i] == key) return values() + i;
      }
      return nullptr;
    }
    return find(name);
  }
  // By name alone: a binary search.
  const Doc* find(std::string_view name) const;
  static std::size_t bytes_for(std::uint32_t members) {
    return sizeof(ObjectRep) + ((static_cast<std::size_t>(members) * sizeof(Key) + 7) & ~std::size_t{7}) +
           static_cast<std::size_t>(members) * sizeof(Doc);
  }
};
static_assert(sizeof(ObjectRep) == 16);

// A member being built: its name (for sorting), id and value.
struct Member {
  std::string_view name;
  Key key;
  Doc value;
};

// Builds nodes into an arena. Objects are sorted by key name here, the last of equal keys
// kept (as JSON parsers do).
class DocWriter {
 public:
  explicit DocWriter(base::Arena& arena) : arena_(arena) {}
  Doc string(std::string_view s);
  Doc list(std::span<const Doc> elements);
  // Reorders `members` in place.
  Doc object(std::span<Member> members);
  base::Arena& arena() { return arena_; }

 private:
  base::Arena& arena_;
};

// Marks a root object as resource `record` of collection `collection`.
void set_record(const Doc& root, std::uint32_t collection, std::uint32_t record);

// The JSON value, numbers as written.
nlohmann::json to_json(const Doc& d);
// A document from JSON (tests, policy test data, configuration params read as documents).
Doc from_json(const nlohmann::json& j, DocWriter& w);
// Compact JSON text, as nlohmann::json's dump() writes it (keys in order, numbers as written).
void append_json(std::string& out, const Doc& d);

}  // namespace reddalert::model
