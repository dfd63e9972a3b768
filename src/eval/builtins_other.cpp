#include <cmath>

#include "base/time.hpp"
#include "eval/builtins_impl.hpp"
#include "eval/network.hpp"
#include "eval/nodes.hpp"

namespace reddalert::eval::builtins {

namespace {

IpRange ip_arg(const Node& call, const Value& v, const char* what) {
  expect_kind(call, v, Kind::String, what);
  const auto r = parse_ip_range(v.as_string());
  if (!r) call.fail(std::string(what) + ": invalid IP or CIDR \"" + std::string(v.as_string()) + "\"");
  return *r;
}

// The tag list of a resource (its `tags` field), or the argument itself when it is a list.
Value tag_list(const Value& v) { return v.kind() == Kind::List ? v : v.get("tags"); }

Value tag_field(const Value& tag, const char* lower, const char* upper) {
  Value v = tag.get(lower);
  return v.is_null() ? tag.get(upper) : v;
}

}  // namespace

Value cidr(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  return Value(format_ip_range(ip_arg(call, a[0], "cidr()")));
}

Value is_public(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value(false);
  return Value(!is_private_range(ip_arg(call, a[0], "is_public()")));
}

Value is_private(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value(false);
  return Value(is_private_range(ip_arg(call, a[0], "is_private()")));
}

Value prefix_len(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  return Value(ip_arg(call, a[0], "prefix_len()").prefix);
}

Value overlaps(Context&, const Node& call, Args& a) {
  if (a[0].is_null() || a[1].is_null()) return Value(false);
  return Value(ip_arg(call, a[0], "overlaps()").overlaps(ip_arg(call, a[1], "overlaps()")));
}

Value tag(Context&, const Node& call, Args& a) {
  expect_kind(call, a[1], Kind::String, "tag() key");
  Value result;
  tag_list(a[0]).for_each_element([&](const Value& t) {
    const Value k = tag_field(t, "key", "Key");
    if (result.is_null() && k.kind() == Kind::String && k.as_string() == a[1].as_string()) {
      result = tag_field(t, "value", "Value");
    }
  });
  return result;
}

Value tags(Context&, const Node&, Args& a) {
  Map out;
  tag_list(a[0]).for_each_element([&](const Value& t) {
    const Value k = tag_field(t, "key", "Key");
    if (k.kind() == Kind::String) out.emplace(std::string(k.as_string()), tag_field(t, "value", "Value"));
  });
  return Value(std::move(out));
}

Value time(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  expect_kind(call, a[0], Kind::Number, "time()");
  return Value(base::iso8601(static_cast<base::Millis>(a[0].as_number())));
}

Value age(Context& ctx, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  expect_kind(call, a[0], Kind::Number, "age()");
  return Value(static_cast<double>(ctx.run.until) - a[0].as_number());
}

Value previous(Context& ctx, const Node& call, Args& a) {
  if (ctx.run.constant_only) call.fail("previous() is only known when the policy runs");
  if (a[0].is_null()) return Value();
  const Json* doc = a[0].json();
  const model::ResourceRef* ref = doc != nullptr ? ctx.run.data.resource(doc) : nullptr;
  if (ref == nullptr) call.fail("previous() needs a resource document taken from a collection");
  const Json* prev = ctx.run.data.previous(ref->collection, ref->id);
  return prev == nullptr ? Value() : Value::ref(*prev);
}

Value first_seen(Context& ctx, const Node&, Args& a) {
  if (ctx.run.state == nullptr || ctx.policy == nullptr) return Value(true);
  const std::string key = first_seen_key(a[0]);
  ctx.run.state->asked[ctx.policy->name].insert(key);
  const auto it = ctx.run.state->earlier.find(ctx.policy->name);
  return Value(it == ctx.run.state->earlier.end() || it->second.count(key) == 0);
}

Value floor(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  expect_kind(call, a[0], Kind::Number, "floor()");
  return Value(std::floor(a[0].as_number()));
}

Value round(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  expect_kind(call, a[0], Kind::Number, "round()");
  return Value(std::round(a[0].as_number()));
}

Value parse_json(Context&, const Node& call, Args& a) {
  if (a[0].is_null()) return Value();
  expect_kind(call, a[0], Kind::String, "parse_json()");
  const Json j = Json::parse(a[0].as_string(), nullptr, false);
  if (j.is_discarded()) call.fail("parse_json(): the text is not valid JSON");
  return Value::copy(j);
}

}  // namespace reddalert::eval::builtins
