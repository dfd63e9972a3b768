#include <algorithm>

#include "eval/builtins_impl.hpp"
#include "eval/nodes.hpp"

namespace reddalert::eval::builtins {

namespace {

List elements(const Node& call, const Value& v, const char* what) {
  List out;
  if (v.is_null()) return out;
  if (v.kind() != Kind::List && v.kind() != Kind::Map) {
    call.fail(std::string(what) + " needs a list, found a " + kind_name(v.kind()));
  }
  v.for_each_element([&](const Value& e) { out.push_back(e); });
  return out;
}

}  // namespace

Value first(Context&, const Node& call, Args& a) {
  List l = elements(call, a[0], "first()");
  return l.empty() ? Value() : l.front();
}

Value last(Context&, const Node& call, Args& a) {
  List l = elements(call, a[0], "last()");
  return l.empty() ? Value() : l.back();
}

Value sort(Context&, const Node& call, Args& a) {
  List l = elements(call, a[0], "sort()");
  std::stable_sort(l.begin(), l.end(), [](const Value& x, const Value& y) { return compare(x, y) < 0; });
  return Value(std::move(l));
}

Value sort_by(Context& ctx, const Node& call, Args& a) {
  List l = elements(call, a[0], "sort_by()");
  std::vector<std::pair<Value, Value>> keyed;
  for (Value& e : l) keyed.emplace_back(call_closure(ctx, a[1], e, call.location()), std::move(e));
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& x, const auto& y) { return compare(x.first, y.first) < 0; });
  List out;
  for (auto& [k, e] : keyed) out.push_back(std::move(e));
  return Value(std::move(out));
}

Value unique(Context&, const Node& call, Args& a) {
  List out;
  for (Value& e : elements(call, a[0], "unique()")) {
    if (std::none_of(out.begin(), out.end(), [&](const Value& x) { return equal(x, e); })) out.push_back(std::move(e));
  }
  return Value(std::move(out));
}

Value flatten(Context&, const Node& call, Args& a) {
  List out;
  for (Value& e : elements(call, a[0], "flatten()")) {
    if (e.kind() == Kind::List) {
      e.for_each_element([&](const Value& x) { out.push_back(x); });
    } else {
      out.push_back(std::move(e));
    }
  }
  return Value(std::move(out));
}

Value min(Context&, const Node& call, Args& a) {
  List l = elements(call, a[0], "min()");
  if (l.empty()) return Value();
  return *std::min_element(l.begin(), l.end(), [](const Value& x, const Value& y) { return compare(x, y) < 0; });
}

Value max(Context&, const Node& call, Args& a) {
  List l = elements(call, a[0], "max()");
  if (l.empty()) return Value();
  return *std::max_element(l.begin(), l.end(), [](const Value& x, const Value& y) { return compare(x, y) < 0; });
}

Value sum(Context&, const Node& call, Args& a) {
  double total = 0;
  for (const Value& e : elements(call, a[0], "sum()")) {
    if (e.is_null()) continue;
    expect_kind(call, e, Kind::Number, "sum() element");
    total += e.as_number();
  }
  return Value(total);
}

Value keys(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value(List{});
  expect_kind(call, a[0], Kind::Map, "keys()");
  List out;
  a[0].for_each_entry([&](std::string_view k, const Value&) { out.emplace_back(std::string(k)); });
  return Value(std::move(out));
}

Value values(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value(List{});
  expect_kind(call, a[0], Kind::Map, "values()");
  List out;
  a[0].for_each_entry([&](std::string_view, const Value& v) { out.push_back(v); });
  return Value(std::move(out));
}

Value filter(Context& ctx, const Node& call, Args& a) {
  List out;
  for (Value& e : elements(call, a[0], "filter()")) {
    if (call_closure(ctx, a[1], e, call.location()).truthy()) out.push_back(std::move(e));
  }
  return Value(std::move(out));
}

Value map(Context& ctx, const Node& call, Args& a) {
  List out;
  for (Value& e : elements(call, a[0], "map()")) out.push_back(call_closure(ctx, a[1], e, call.location()));
  return Value(std::move(out));
}

Value group_by(Context& ctx, const Node& call, Args& a) {
  std::map<std::string, List, std::less<>> groups;
  for (Value& e : elements(call, a[0], "group_by()")) {
    const Value k = call_closure(ctx, a[1], e, call.location());
    if (k.kind() == Kind::List) {
      k.for_each_element([&](const Value& each) {
        if (!each.is_null()) groups[interpolate(each)].push_back(e);
      });
    } else if (!k.is_null()) {
      groups[interpolate(k)].push_back(e);
    }
  }
  Map out;
  for (auto& [k, v] : groups) out.emplace(k, Value(std::move(v)));
  return Value(std::move(out));
}

Value contains(Context&, const Node& call, Args& a) { return Value(op_in(a[1], a[0], call)); }

}  // namespace reddalert::eval::builtins
