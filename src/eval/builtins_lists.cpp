#include <algorithm>
#include <cstring>
#include <vector>

#include "base/hash.hpp"
#include "eval/builtins_impl.hpp"
#include "eval/nodes.hpp"

namespace reddalert::eval::builtins {

ListBuilder::ListBuilder(Context& ctx, std::size_t capacity_hint)
    : ctx_(ctx), items_(nullptr), capacity_(capacity_hint) {
  if (capacity_ > 0) items_ = ctx.items(capacity_);
}

void ListBuilder::push(const Value& v) {
  if (size_ == capacity_) {
    // The old run stays in the arena until the binding is done.
    const std::size_t grown = capacity_ < 4 ? 8 : capacity_ * 2;
    Value* bigger = ctx_.items(grown);
    if (size_ > 0) std::memcpy(static_cast<void*>(bigger), items_, size_ * sizeof(Value));
    items_ = bigger;
    capacity_ = grown;
  }
  items_[size_++] = v;
}

Value make_map(Context&, MapEntry* entries, std::size_t n, bool keep_first) {
  const auto by_key = [](const MapEntry& a, const MapEntry& b) { return compare(a.key, b.key) < 0; };
  std::stable_sort(entries, entries + n, by_key);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (kept > 0 && equal(entries[kept - 1].key, entries[i].key)) {
      if (!keep_first) entries[kept - 1] = entries[i];
      continue;
    }
    entries[kept++] = entries[i];
  }
  return Value::map(entries, kept);
}

namespace {

// Elements of a list, or values of a map; an error for other kinds (null: none).
Value items_of(Context& ctx, const Node& call, const Value& v, const char* what) {
  if (v.is_null() || v.kind == Kind::List || v.kind == Kind::Map) return v;
  return call.error(ctx, std::string(what) + " needs a list, found a " + kind_name(v.kind));
}

// The elements as a list the caller may reorder: a copy in the arena.
std::pair<Value*, std::size_t> copy_items(Context& ctx, const Value& v) {
  Value* out = ctx.items(v.size);
  std::size_t n = 0;
  v.each([&](const Value& e) {
    out[n++] = e;
    return true;
  });
  return {out, n};
}

// Which values a list has seen: a hash set of indices into `items`, in the arena.
class Seen {
 public:
  Seen(Context& ctx, const Value* items, std::size_t capacity) : items_(items) {
    std::size_t slots = 16;
    while (slots < capacity * 2) slots *= 2;
    slots_ = ctx.arena->array<std::uint32_t>(slots);
    std::fill(slots_, slots_ + slots, kEmpty);
    mask_ = slots - 1;
  }
  // Whether an equal value is already in; if not, `index` (of `items`) is added.
  bool insert_if_new(const Value& v, std::uint32_t index) {
    for (std::size_t i = hash(v) & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == kEmpty) {
        slots_[i] = index;
        return true;
      }
      if (equal(items_[slots_[i]], v)) return false;
    }
  }
  bool contains(const Value& v) const {
    for (std::size_t i = hash(v) & mask_;; i = (i + 1) & mask_) {
      if (slots_[i] == kEmpty) return false;
      if (equal(items_[slots_[i]], v)) return true;
    }
  }

 private:
  static constexpr std::uint32_t kEmpty = 0xffffffffu;
  const Value* items_;
  std::uint32_t* slots_;
  std::size_t mask_;
};

}  // namespace

Value first(Context& ctx, const Node& call, Args a) {
  const Value v = items_of(ctx, call, a[0], "first()");
  if (v.is_error() || v.size == 0) return v.is_error() ? v : Value();
  Value out;
  v.each([&](const Value& e) { return out = e, false; });
  return out;
}

Value last(Context& ctx, const Node& call, Args a) {
  const Value v = items_of(ctx, call, a[0], "last()");
  if (v.is_error() || v.size == 0) return v.is_error() ? v : Value();
  if (v.kind == Kind::List) return v.at(v.size - 1);
  Value out;
  v.each([&](const Value& e) { return out = e, true; });
  return out;
}

Value sort(Context& ctx, const Node& call, Args a) {
  const Value v = items_of(ctx, call, a[0], "sort()");
  if (v.is_error()) return v;
  auto [items, n] = copy_items(ctx, v);
  ctx.w.steps(n, &call);
  std::stable_sort(items, items + n, [](const Value& x, const Value& y) { return compare(x, y) < 0; });
  return Value::list(items, n);
}

Value sort_by(Context& ctx, const Node& call, Args a) {
  const Value v = items_of(ctx, call, a[0], "sort_by()");
  if (v.is_error()) return v;
  auto [items, n] = copy_items(ctx, v);
  MapEntry* keyed = ctx.arena->array<MapEntry>(n);  // (key, element)
  for (std::size_t i = 0; i < n; ++i) {
    const Value k = call_closure(ctx, a[1], items[i], call);
    if (k.is_error()) return k;
    keyed[i] = {k, items[i]};
  }
  std::stable_sort(keyed, keyed + n, [](const MapEntry& x, const MapEntry& y) { return compare(x.key, y.key) < 0; });
  for (std::size_t i = 0; i < n; ++i) items[i] = keyed[i].value;
  return Value::list(items, n);
}

Value unique(Context& ctx, const Node& call, Args a) {
  const Value v = items_of(ctx, call, a[0], "unique()");
  if (v.is_error()) return v;
  const auto copied = copy_items(ctx, v);
  Value* const items = copied.first;  // named: a structured binding cannot be captured (clang 14)
  const std::size_t n = copied.second;
  ctx.w.steps(n, &call);
  std::size_t kept = 0;
  if (n <= 8) {
    for (std::size_t i = 0; i < n; ++i) {
      if (std::none_of(items, items + kept, [&](const Value& x) { return equal(x, items[i]); }))
        items[kept++] = items[i];
    }
  } else {
    Seen seen(ctx, items, n);
    for (std::size_t i = 0; i < n; ++i) {
      // Kept elements move forward, so the set refers to their new places.
      const Value e = items[i];
      items[kept] = e;
      if (seen.insert_if_new(e, static_cast<std::uint32_t>(kept))) ++kept;
    }
  }
  return Value::list(items, kept);
}

Value flatten(Context& ctx, const Node& call, Args a) {
  const Value v = items_of(ctx, call, a[0], "flatten()");
  if (v.is_error()) return v;
  ListBuilder out(ctx, v.size);
  v.each([&](const Value& e) {
    if (e.kind == Kind::List) {
      for (std::uint32_t i = 0; i < e.size; ++i) out.push(e.at(i));
    } else {
      out.push(e);
    }
    return true;
  });
  ctx.w.steps(out.size(), &call);
  return out.finish();
}

// The least element of a list (the greatest with `greatest`), the first of equal ones;
// null for an empty list.
Value extreme(Context& ctx, const Node& call, Args a, const char* name, bool greatest) {
  const Value v = items_of(ctx, call, a[0], name);
  if (v.is_error()) return v;
  Value best;
  bool any = false;
  v.each([&](const Value& e) {
    if (!any || (greatest ? compare(best, e) : compare(e, best)) < 0) best = e;
    any = true;
    return true;
  });
  return best;
}

Value min(Context& ctx, const Node& call, Args a) { return extreme(ctx, call, a, "min()", false); }
Value max(Context& ctx, const Node& call, Args a) { return extreme(ctx, call, a, "max()", true); }

Value sum(Context& ctx, const Node& call, Args a) {
  const Value v = items_of(ctx, call, a[0], "sum()");
  if (v.is_error()) return v;
  double total = 0;
  Value problem;
  v.each([&](const Value& e) {
    if (e.is_null()) return true;
    if (e.kind != Kind::Number) return problem = kind_error(ctx, call, e, Kind::Number, "sum() element"), false;
    total += e.num;
    return true;
  });
  return problem.is_null() ? Value::number(total) : problem;
}

Value keys(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value::list(nullptr, 0);
  if (a[0].kind != Kind::Map) return kind_error(ctx, call, a[0], Kind::Map, "keys()");
  Value* out = ctx.items(a[0].size);
  std::size_t n = 0;
  a[0].each_entry([&](std::string_view k, const Value&) { out[n++] = Value::string(k); });
  return Value::list(out, n);
}

Value values(Context& ctx, const Node& call, Args a) {
  if (a[0].is_null()) return Value::list(nullptr, 0);
  if (a[0].kind != Kind::Map) return kind_error(ctx, call, a[0], Kind::Map, "values()");
  return Value::list(copy_items(ctx, a[0]).first, a[0].size);
}

Value filter(Context& ctx, const Node& call, Args a) {
  const Value v = items_of(ctx, call, a[0], "filter()");
  if (v.is_error()) return v;
  ListBuilder out(ctx, v.size);
  Value problem;
  v.each([&](const Value& e) {
    const Value keep = call_closure(ctx, a[1], e, call);
    if (keep.is_error()) return problem = keep, false;
    if (keep.truthy()) out.push(e);
    return true;
  });
  return problem.is_null() ? out.finish() : problem;
}

Value map(Context& ctx, const Node& call, Args a) {
  const Value v = items_of(ctx, call, a[0], "map()");
  if (v.is_error()) return v;
  Value* out = ctx.items(v.size);
  std::size_t n = 0;
  Value problem;
  v.each([&](const Value& e) {
    const Value r = call_closure(ctx, a[1], e, call);
    if (r.is_error()) return problem = r, false;
    out[n++] = r;
    return true;
  });
  return problem.is_null() ? Value::list(out, n) : problem;
}

Value group_by(Context& ctx, const Node& call, Args a) {
  const Value v = items_of(ctx, call, a[0], "group_by()");
  if (v.is_error()) return v;
  // Each (key, element) pair is filed under a group found by hashing its key; only the
  // distinct keys are sorted, then each group's elements are laid out in their order.
  std::vector<MapEntry> pairs;
  pairs.reserve(v.size);
  Value problem;
  const auto file = [&](const Value& key, const Value& e) {
    if (key.is_null()) return;
    if (key.kind == Kind::String) {
      pairs.push_back({key, e});
      return;
    }
    TextBuilder text(ctx);
    text.append(key);
    pairs.push_back({text.finish(), e});
  };
  v.each([&](const Value& e) {
    const Value k = call_closure(ctx, a[1], e, call);
    if (k.is_error()) return problem = k, false;
    if (k.kind == Kind::List) {
      for (std::uint32_t i = 0; i < k.size; ++i) file(k.at(i), e);
    } else {
      file(k, e);
    }
    return true;
  });
  if (!problem.is_null()) return problem;
  ctx.w.steps(pairs.size(), &call);
  std::vector<std::uint32_t> group_of(pairs.size());
  std::vector<Value> keys;            // one per group, in order of first appearance
  std::vector<std::uint32_t> counts;  // elements per group
  std::size_t slots = 16;
  while (slots < pairs.size() * 2) slots *= 2;
  std::vector<std::uint32_t> table(slots, 0xffffffffu);
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    std::size_t h = base::hash_bytes(pairs[i].key.str()) & (slots - 1);
    while (table[h] != 0xffffffffu && keys[table[h]].str() != pairs[i].key.str()) h = (h + 1) & (slots - 1);
    if (table[h] == 0xffffffffu) {
      table[h] = static_cast<std::uint32_t>(keys.size());
      keys.push_back(pairs[i].key);
      counts.push_back(0);
    }
    group_of[i] = table[h];
    ++counts[table[h]];
  }
  std::vector<std::uint32_t> order(keys.size());
  for (std::uint32_t g = 0; g < order.size(); ++g) order[g] = g;
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t x, std::uint32_t y) { return compare(keys[x], keys[y]) < 0; });
  std::vector<std::uint32_t> start(keys.size());
  MapEntry* out = ctx.arena->array<MapEntry>(keys.size());
  Value* elements = ctx.items(pairs.size());
  std::uint32_t next = 0;
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const std::uint32_t g = order[rank];
    start[g] = next;
    out[rank] = {keys[g], Value::list(elements + next, counts[g])};
    next += counts[g];
  }
  for (std::size_t i = 0; i < pairs.size(); ++i) elements[start[group_of[i]]++] = pairs[i].value;
  return Value::map(out, keys.size());
}

Value contains(Context& ctx, const Node& call, Args a) { return op_in(ctx, a[1], a[0], call); }

}  // namespace reddalert::eval::builtins
