#include <cmath>

#include "base/ip.hpp"
#include "base/time.hpp"
#include "eval/builtins_impl.hpp"
#include "eval/nodes.hpp"
#include "model/json_reader.hpp"

namespace reddalert::eval::builtins {

namespace {

// The range of an IP or CIDR argument, or an error value.
std::optional<base::IpRange> ip_arg(Context& ctx, const Node& call, const Value& v, const char* what, Value& problem) {
  if (v.kind != Kind::String) {
    problem = kind_error(ctx, call, v, Kind::String, what);
    return std::nullopt;
  }
  const auto r = base::parse_ip_range(v.str());
  if (!r) problem = call.error(ctx, std::string(what) + ": invalid IP or CIDR \"" + std::string(v.str()) + "\"");
  return r;
}

// `d` as computed values: a document that parse_json() built lives in the binding's arena,
// not in the data set, so nothing may treat it as data set documents (copy_value() shares those).
Value computed(Context& ctx, const model::Doc& d) {
  switch (d.type) {
    case model::DocType::List: {
      Value* items = ctx.items(d.size);
      for (std::uint32_t i = 0; i < d.size; ++i) items[i] = computed(ctx, d.items[i]);
      return Value::list(items, d.size);
    }
    case model::DocType::Map: {
      MapEntry* entries = ctx.arena->array<MapEntry>(d.size);
      const model::Key* keys = d.object->keys();
      const model::Doc* values = d.object->values();
      for (std::uint32_t i = 0; i < d.size; ++i) {
        entries[i] = {Value::string(model::key_name(keys[i])), computed(ctx, values[i])};
      }
      return Value::map(entries, d.size);
    }
    default: return Value::of(d);
  }
}

// The tag list of a resource (its `tags` field), or the argument itself when it is a list.
Value tag_list(const Value& v) {
  static const model::Key tags = model::intern_key("tags");
  return v.kind == Kind::List ? v : v.get(tags, "tags");
}

Value tag_field(const Value& tag, bool value) {
  static const model::Key k_lower = model::intern_key("key"), k_upper = model::intern_key("Key");
  static const model::Key v_lower = model::intern_key("value"), v_upper = model::intern_key("Value");
  const Value v = value ? tag.get(v_lower, "value") : tag.get(k_lower, "key");
  if (!v.is_null()) return v;
  return value ? tag.get(v_upper, "Value") : tag.get(k_upper, "Key");
}

}  // namespace

Value cidr(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value();
  Value problem;
  const auto r = ip_arg(ctx, call, a[0], "cidr()", problem);
  if (!r) return problem;
  return ctx.string(base::format_ip_range(*r));
}

Value is_public(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value::of(false);
  Value problem;
  const auto r = ip_arg(ctx, call, a[0], "is_public()", problem);
  if (!r) return problem;
  return Value::of(!base::is_private_range(*r));
}

Value is_private(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value::of(false);
  Value problem;
  const auto r = ip_arg(ctx, call, a[0], "is_private()", problem);
  if (!r) return problem;
  return Value::of(base::is_private_range(*r));
}

Value prefix_len(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value();
  Value problem;
  const auto r = ip_arg(ctx, call, a[0], "prefix_len()", problem);
  if (!r) return problem;
  return Value::number(r->prefix);
}

Value overlaps(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null() || a[1].is_null()) return Value::of(false);
  Value problem;
  const auto x = ip_arg(ctx, call, a[0], "overlaps()", problem);
  if (!x) return problem;
  const auto y = ip_arg(ctx, call, a[1], "overlaps()", problem);
  if (!y) return problem;
  return Value::of(x->overlaps(*y));
}

Value tag(Context& ctx, const Node& call, Args a) {
  if (a[1].kind != Kind::String) return kind_error(ctx, call, a[1], Kind::String, "tag() key");
  Value result;
  tag_list(a[0]).each([&](const Value& t) {
    const Value k = tag_field(t, false);
    if (k.kind == Kind::String && k.str() == a[1].str()) result = tag_field(t, true);
    return result.is_null();  // a later tag of the same key may have a value
  });
  return result;
}

Value tags(Context& ctx, const Node&, Args a) {
  const Value list = tag_list(a[0]);
  if (list.kind != Kind::List && list.kind != Kind::Map) return Value::map(nullptr, 0);
  MapEntry* entries = ctx.arena->array<MapEntry>(list.size);
  std::size_t n = 0;
  list.each([&](const Value& t) {
    const Value k = tag_field(t, false);
    if (k.kind == Kind::String) entries[n++] = {k, tag_field(t, true)};
    return true;
  });
  return make_map(ctx, entries, n, true);  // of a key given twice, the first
}

Value time(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value();
  if (a[0].kind != Kind::Number) return kind_error(ctx, call, a[0], Kind::Number, "time()");
  return ctx.string(base::iso8601(static_cast<base::Millis>(a[0].num)));
}

Value age(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value();
  if (a[0].kind != Kind::Number) return kind_error(ctx, call, a[0], Kind::Number, "age()");
  return Value::number(static_cast<double>(ctx.run.until) - a[0].num);
}

Value previous(Context& ctx, const Node& call, Args a) {
  if (ctx.run.constant_only()) return call.error(ctx, "previous() is only known when the policy runs");
  if (a[0].is_null()) return Value();
  if (resource_of(ctx, a[0]) == nullptr)
    return call.error(ctx, "previous() needs a resource document taken from a collection");
  model::Doc doc;
  std::memcpy(static_cast<void*>(&doc), &a[0], sizeof doc);  // a resource document is document data
  const model::Doc* prev = ctx.run.data->previous(doc);
  return prev == nullptr ? Value() : Value::of(*prev);
}

Value first_seen(Context& ctx, const Node&, Args a) {
  if (ctx.asked == nullptr) return Value::of(true);
  std::string key = first_seen_key(a[0]);
  bool earlier = false;
  if (ctx.run.memory != nullptr) {
    const auto it = ctx.run.memory->earlier.find(ctx.policy->name);
    earlier = it != ctx.run.memory->earlier.end() && it->second.count(key) > 0;
  }
  if (ctx.asked->find(key) == ctx.asked->end()) ctx.asked->insert(std::move(key));
  return Value::of(!earlier);
}

Value floor(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value();
  if (a[0].kind != Kind::Number) return kind_error(ctx, call, a[0], Kind::Number, "floor()");
  return Value::number(std::floor(a[0].num));
}

Value round(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value();
  if (a[0].kind != Kind::Number) return kind_error(ctx, call, a[0], Kind::Number, "round()");
  return Value::number(std::round(a[0].num));
}

Value parse_json(Context& ctx, const Node& call, Args a) {
  constexpr int kMaxDepth = 256;
  if (a[0].is_null()) return Value();
  if (a[0].kind != Kind::String) return kind_error(ctx, call, a[0], Kind::String, "parse_json()");
  try {
    return computed(ctx, model::parse_document(a[0].str(), *ctx.arena, kMaxDepth));
  } catch (const model::DataError& e) {
    if (e.cause.find("nested deeper") != std::string::npos) {
      return call.error(ctx, "parse_json(): the text is " + e.cause.substr(e.cause.find("nested")));
    }
    return call.error(ctx, "parse_json(): the text is not valid JSON");
  }
}

}  // namespace reddalert::eval::builtins
