#include <algorithm>

#include "eval/builtins_impl.hpp"
#include "eval/evaluate.hpp"

namespace reddalert::eval {

namespace {

using R = ResultKind;
namespace b = builtins;

const Builtin kBuiltins[] = {
    {"len", 1, 1, true, R::Number, b::len, "len(x)"},
    {"lower", 1, 1, true, R::String, b::lower, "lower(s)"},
    {"upper", 1, 1, true, R::String, b::upper, "upper(s)"},
    {"trim", 1, 1, true, R::String, b::trim, "trim(s)"},
    {"split", 2, 2, true, R::List, b::split, "split(s, separator)"},
    {"join", 1, 2, true, R::String, b::join, "join(list, separator)"},
    {"startswith", 2, 2, true, R::Bool, b::startswith, "startswith(s, prefix)"},
    {"endswith", 2, 2, true, R::Bool, b::endswith, "endswith(s, suffix)"},
    {"replace", 3, 3, true, R::String, b::replace, "replace(s, old, new)"},
    {"string", 1, 1, true, R::String, b::string, "string(x)"},
    {"number", 1, 1, true, R::Any, b::number, "number(x)"},
    {"slice", 2, 3, true, R::Any, b::slice, "slice(string_or_list, start, end)"},
    {"floor", 1, 1, true, R::Number, b::floor, "floor(x)"},
    {"round", 1, 1, true, R::Number, b::round, "round(x)"},
    {"url_decode", 1, 1, true, R::String, b::url_decode, "url_decode(s)"},
    {"parse_json", 1, 1, true, R::Any, b::parse_json, "parse_json(s)"},
    {"first", 1, 1, true, R::Any, b::first, "first(list)"},
    {"last", 1, 1, true, R::Any, b::last, "last(list)"},
    {"sort", 1, 1, true, R::List, b::sort, "sort(list)"},
    {"sort_by", 2, 2, false, R::List, b::sort_by, "sort_by(list, x => key)"},
    {"unique", 1, 1, true, R::List, b::unique, "unique(list)"},
    {"flatten", 1, 1, true, R::List, b::flatten, "flatten(list)"},
    {"min", 1, 1, true, R::Any, b::min, "min(list)"},
    {"max", 1, 1, true, R::Any, b::max, "max(list)"},
    {"sum", 1, 1, true, R::Number, b::sum, "sum(list)"},
    {"keys", 1, 1, true, R::List, b::keys, "keys(map)"},
    {"values", 1, 1, true, R::List, b::values, "values(map)"},
    {"filter", 2, 2, false, R::List, b::filter, "filter(list, x => condition)"},
    {"map", 2, 2, false, R::List, b::map, "map(list, x => value)"},
    {"group_by", 2, 2, false, R::Map, b::group_by, "group_by(list, x => key)"},
    {"contains", 2, 2, true, R::Bool, b::contains, "contains(list_or_string, x)"},
    {"cidr", 1, 1, true, R::String, b::cidr, "cidr(ip_or_cidr)"},
    {"is_public", 1, 1, true, R::Bool, b::is_public, "is_public(ip_or_cidr)"},
    {"is_private", 1, 1, true, R::Bool, b::is_private, "is_private(ip_or_cidr)"},
    {"prefix_len", 1, 1, true, R::Number, b::prefix_len, "prefix_len(cidr)"},
    {"overlaps", 2, 2, true, R::Bool, b::overlaps, "overlaps(cidr_a, cidr_b)"},
    {"tag", 2, 2, true, R::Any, b::tag, "tag(resource, key)"},
    {"tags", 1, 1, true, R::Map, b::tags, "tags(resource)"},
    {"time", 1, 1, true, R::String, b::time, "time(ms)"},
    {"age", 1, 1, false, R::Number, b::age, "age(ms)"},
    {"previous", 1, 1, false, R::Any, b::previous, "previous(resource)"},
    {"first_seen", 1, 1, false, R::Bool, b::first_seen, "first_seen(value)"},
};

}  // namespace

const Builtin* find_builtin(std::string_view name) {
  for (const Builtin& b : kBuiltins) {
    if (name == b.name) return &b;
  }
  return nullptr;
}

std::vector<std::string> builtin_names() {
  std::vector<std::string> out;
  for (const Builtin& b : kBuiltins) out.emplace_back(b.name);
  return out;
}

void expect_kind(const Node& call, const Value& v, Kind k, const char* what) {
  if (v.kind() != k) {
    call.fail(std::string(what) + " needs a " + kind_name(k) + ", found a " + kind_name(v.kind()));
  }
}

}  // namespace reddalert::eval
