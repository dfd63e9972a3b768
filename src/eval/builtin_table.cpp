#include "eval/builtins_impl.hpp"

namespace reddalert::eval {

BuiltinFn builtin_function(lang::BuiltinId id) {
  namespace b = builtins;
  using I = lang::BuiltinId;
  switch (id) {
    case I::Len: return b::len;
    case I::Lower: return b::lower;
    case I::Upper: return b::upper;
    case I::Trim: return b::trim;
    case I::Split: return b::split;
    case I::Join: return b::join;
    case I::StartsWith: return b::startswith;
    case I::EndsWith: return b::endswith;
    case I::Replace: return b::replace;
    case I::String: return b::string;
    case I::Number: return b::number;
    case I::Slice: return b::slice;
    case I::Floor: return b::floor;
    case I::Round: return b::round;
    case I::UrlDecode: return b::url_decode;
    case I::Base64Decode: return b::base64_decode;
    case I::ParseJson: return b::parse_json;
    case I::First: return b::first;
    case I::Last: return b::last;
    case I::Sort: return b::sort;
    case I::SortBy: return b::sort_by;
    case I::Unique: return b::unique;
    case I::Flatten: return b::flatten;
    case I::Min: return b::min;
    case I::Max: return b::max;
    case I::Sum: return b::sum;
    case I::Keys: return b::keys;
    case I::Values: return b::values;
    case I::Filter: return b::filter;
    case I::Map: return b::map;
    case I::GroupBy: return b::group_by;
    case I::Contains: return b::contains;
    case I::Cidr: return b::cidr;
    case I::IsPublic: return b::is_public;
    case I::IsPrivate: return b::is_private;
    case I::PrefixLen: return b::prefix_len;
    case I::Overlaps: return b::overlaps;
    case I::Tag: return b::tag;
    case I::Tags: return b::tags;
    case I::Time: return b::time;
    case I::Age: return b::age;
    case I::Previous: return b::previous;
    case I::FirstSeen: return b::first_seen;
  }
  return nullptr;
}

}  // namespace reddalert::eval
