// Internal to eval/: builtin implementations, registered in builtin_table.cpp.
#pragma once

#include "eval/builtins.hpp"
#include "eval/ops.hpp"

namespace reddalert::eval::builtins {

#define REDDALERT_BUILTIN(name) Value name(Context& ctx, const Node& call, Args a)

// strings
REDDALERT_BUILTIN(len);
REDDALERT_BUILTIN(lower);
REDDALERT_BUILTIN(upper);
REDDALERT_BUILTIN(trim);
REDDALERT_BUILTIN(split);
REDDALERT_BUILTIN(join);
REDDALERT_BUILTIN(startswith);
REDDALERT_BUILTIN(endswith);
REDDALERT_BUILTIN(replace);
REDDALERT_BUILTIN(string);
REDDALERT_BUILTIN(number);
REDDALERT_BUILTIN(slice);
REDDALERT_BUILTIN(url_decode);
REDDALERT_BUILTIN(base64_decode);
// lists and maps
REDDALERT_BUILTIN(first);
REDDALERT_BUILTIN(last);
REDDALERT_BUILTIN(sort);
REDDALERT_BUILTIN(sort_by);
REDDALERT_BUILTIN(unique);
REDDALERT_BUILTIN(flatten);
REDDALERT_BUILTIN(min);
REDDALERT_BUILTIN(max);
REDDALERT_BUILTIN(sum);
REDDALERT_BUILTIN(keys);
REDDALERT_BUILTIN(values);
REDDALERT_BUILTIN(filter);
REDDALERT_BUILTIN(map);
REDDALERT_BUILTIN(group_by);
REDDALERT_BUILTIN(contains);
// numbers and data
REDDALERT_BUILTIN(floor);
REDDALERT_BUILTIN(round);
REDDALERT_BUILTIN(parse_json);
// networks, AWS, time, state
REDDALERT_BUILTIN(cidr);
REDDALERT_BUILTIN(is_public);
REDDALERT_BUILTIN(is_private);
REDDALERT_BUILTIN(prefix_len);
REDDALERT_BUILTIN(overlaps);
REDDALERT_BUILTIN(tag);
REDDALERT_BUILTIN(tags);
REDDALERT_BUILTIN(time);
REDDALERT_BUILTIN(age);
REDDALERT_BUILTIN(previous);
REDDALERT_BUILTIN(first_seen);

#undef REDDALERT_BUILTIN

// Builds a list of unknown length in the context's arena, growing by doubling.
class ListBuilder {
 public:
  ListBuilder(Context& ctx, std::size_t capacity_hint);
  void push(const Value& v);
  Value finish() const { return Value::list(items_, size_); }
  std::size_t size() const { return size_; }
  Value* data() { return items_; }

 private:
  Context& ctx_;
  Value* items_;
  std::size_t size_ = 0, capacity_;
};

// A map from entries in any order; of equal keys the last is kept unless `keep_first`.
Value make_map(Context& ctx, MapEntry* entries, std::size_t n, bool keep_first = false);

}  // namespace reddalert::eval::builtins
