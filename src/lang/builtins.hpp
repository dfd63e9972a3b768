// The builtin functions of the language (language.md section 5) as a table of signatures:
// what the checker, the compiler and the evaluator agree on. The implementations are in
// eval/, indexed by BuiltinId; nothing here evaluates anything.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace reddalert::lang {

// What a value is, as far as a signature can say. A set of kinds is a bit mask.
enum class Kind : std::uint16_t {
  Null = 1 << 0,
  Bool = 1 << 1,
  Number = 1 << 2,
  String = 1 << 3,
  List = 1 << 4,
  Map = 1 << 5,
  Range = 1 << 6,
  Regex = 1 << 7,
  Function = 1 << 8,
};
using Kinds = std::uint16_t;
constexpr Kinds kinds(Kind k) { return static_cast<Kinds>(k); }
constexpr Kinds operator|(Kind a, Kind b) { return static_cast<Kinds>(kinds(a) | kinds(b)); }
constexpr Kinds operator|(Kinds a, Kind b) { return static_cast<Kinds>(a | kinds(b)); }
inline constexpr Kinds kAnyKind = 0x1ff;

enum class BuiltinId : std::uint8_t {
  Len,
  Lower,
  Upper,
  Trim,
  Split,
  Join,
  StartsWith,
  EndsWith,
  Replace,
  String,
  Number,
  Slice,
  Floor,
  Round,
  UrlDecode,
  Base64Decode,
  ParseJson,
  First,
  Last,
  Sort,
  SortBy,
  Unique,
  Flatten,
  Min,
  Max,
  Sum,
  Keys,
  Values,
  Filter,
  Map,
  GroupBy,
  Contains,
  Cidr,
  IsPublic,
  IsPrivate,
  PrefixLen,
  Overlaps,
  Tag,
  Tags,
  Time,
  Age,
  Previous,
  FirstSeen,
};

// How the result's type follows from the arguments', beyond `result`.
enum class ResultRule : std::uint8_t {
  Fixed,           // `result` alone
  SameAsFirst,     // sort, unique, filter, sort_by: a list like the first argument
  ElementOfFirst,  // first, last, min, max: an element of the first argument
  PreviousOf,      // previous: a document of the same collection as the argument
};

enum Flags : std::uint8_t {
  kPure = 1 << 0,         // depends on its arguments only: folded when they are constant
  kHigherOrder = 1 << 1,  // the second argument is a function called on each element
  kNeedsPolicy = 1 << 2,  // reads or records state of the running policy (first_seen)
  kNeedsRun = 1 << 3,     // reads the window or the data (age, previous)
};

struct BuiltinSignature {
  BuiltinId id;
  const char* name;
  int min_args;
  int max_args;
  Kinds result;                  // the kinds it can return (null included where it can)
  std::vector<Kinds> arguments;  // accepted kinds per argument position
  ResultRule rule;
  std::uint8_t flags;
  const char* usage;    // "len(x)", for hints
  const char* summary;  // one line, for hover and documentation

  bool pure() const { return (flags & kPure) != 0; }
  bool higher_order() const { return (flags & kHigherOrder) != 0; }
};

// Null when there is no builtin of that name.
const BuiltinSignature* find_builtin(std::string_view name);
const BuiltinSignature& builtin(BuiltinId id);
std::span<const BuiltinSignature> builtins();
std::vector<std::string> builtin_names();

// Names other languages give a builtin (`length`, `size`): a call of one, or of a misspelling
// of one (`lenght`), is suggested the builtin.
struct BuiltinAlias {
  const char* alias;
  BuiltinId builtin;
};
std::span<const BuiltinAlias> builtin_aliases();

}  // namespace reddalert::lang
