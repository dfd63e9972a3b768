// Internal to eval/: builtin implementations, registered in builtin_table.cpp.
#pragma once

#include "eval/builtins.hpp"
#include "eval/evaluate.hpp"

namespace reddalert::eval::builtins {

using Args = std::vector<Value>;
#define REDDALERT_BUILTIN(name) Value name(Context& ctx, const Node& call, Args& args)

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

}  // namespace reddalert::eval::builtins
