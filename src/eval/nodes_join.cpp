#include <algorithm>
#include <unordered_map>

#include "eval/nodes.hpp"

namespace reddalert::eval {

struct JoinNode::Index {
  struct Hash {
    std::size_t operator()(const Value& v) const { return static_cast<std::size_t>(hash(v)); }
  };
  struct Equal {
    bool operator()(const Value& a, const Value& b) const { return equal(a, b); }
  };
  Value elements;                                                                // the source as a list
  std::unordered_map<Value, std::vector<std::uint32_t>, Hash, Equal> positions;  // ascending
  std::vector<std::uint32_t> always;  // elements evaluated for every probe, ascending
};

JoinNode::JoinNode(base::Location loc, NodePtr inner, NodePtr source, int slot, NodePtr key, NodePtr probe,
                   bool membership, std::size_t index)
    : Node(std::move(loc)),
      inner_(std::move(inner)),
      comprehension_(dynamic_cast<const ComprehensionNode*>(inner_.get())),
      quantifier_(dynamic_cast<const QuantifierNode*>(inner_.get())),
      source_(std::move(source)),
      slot_(slot),
      key_(std::move(key)),
      probe_(std::move(probe)),
      membership_(membership),
      index_(index) {}

const JoinNode::Index* JoinNode::index(Context& ctx) const {
  Run::Once& cell = ctx.run.index_cell(index_);
  if (!cell.done.load(std::memory_order_acquire)) {
    const std::lock_guard<std::mutex> lock(cell.mutex);
    if (!cell.done.load(std::memory_order_relaxed)) {
      const Worker::Budget budget = ctx.w.begin_budget(ctx.run.options.max_steps * 100);
      try {
        const ArenaScope scope(ctx, cell.arena);
        auto built = std::make_shared<Index>();
        const Value source = iterable(ctx, source_->eval(ctx), *this);
        if (!source.is_error()) {
          Value* items = ctx.items(source.size);
          std::size_t n = 0;
          source.each([&](const Value& e) { return items[n++] = e, true; });
          built->elements = Value::list(items, n);
          const auto file = [&](const Value& k, std::uint32_t i) {
            auto& at = built->positions[k];
            if (at.empty() || at.back() != i) at.push_back(i);
          };
          for (std::uint32_t i = 0; i < n; ++i) {
            ctx.w.step(this);
            ctx.frame[slot_] = items[i];
            const Value k = key_->eval(ctx);
            if (k.is_error()) {
              built->always.push_back(i);
            } else if (!membership_) {
              file(k, i);
            } else if (k.kind == Kind::List) {
              // `probe in k`: equal to an element; a range element is decided only by scanning.
              bool ranges = false;
              for (std::uint32_t e = 0; e < k.size && !ranges; ++e) ranges = k.at(e).kind == Kind::Range;
              if (ranges) {
                built->always.push_back(i);
              } else {
                for (std::uint32_t e = 0; e < k.size; ++e) {
                  if (!k.at(e).is_null()) file(k.at(e), i);
                }
              }
            } else if (!k.is_null()) {
              built->always.push_back(i);  // a map, string, range or a kind `in` rejects
            }
          }
          cell.extra = built;
        }
      } catch (...) {
        ctx.w.restore(budget);
        throw;
      }
      ctx.w.restore(budget);
      cell.done.store(true, std::memory_order_release);
    }
  }
  return static_cast<const Index*>(cell.extra.get());
}

Value JoinNode::eval(Context& ctx) const {
  const Index* idx = index(ctx);
  if (idx == nullptr) return inner_->eval(ctx);
  const Value probe = probe_->eval(ctx);
  if (probe.is_error()) return inner_->eval(ctx);
  static const std::vector<std::uint32_t> none;
  const std::vector<std::uint32_t>* hits = &none;
  if (!(membership_ && probe.is_null())) {
    if (const auto it = idx->positions.find(probe); it != idx->positions.end()) hits = &it->second;
  }
  // The matches and the elements always evaluated, in the source's order.
  Value* items = ctx.items(hits->size() + idx->always.size());
  std::size_t n = 0;
  auto h = hits->begin(), a = idx->always.begin();
  while (h != hits->end() || a != idx->always.end()) {
    const bool from_hits = a == idx->always.end() || (h != hits->end() && *h < *a);
    const std::uint32_t i = from_hits ? *h++ : *a++;
    items[n++] = idx->elements.at(i);
  }
  const Value candidates = Value::list(items, n);
  return comprehension_ ? comprehension_->over(ctx, candidates) : quantifier_->over(ctx, candidates);
}

base::TreeDump JoinNode::dump() const {
  base::TreeDump t = tree("join", std::string(membership_ ? "probe in key" : "key == probe") + " #" +
                                      std::to_string(slot_) + ", index " + std::to_string(index_));
  t.add(source_->dump());
  t.add(key_->dump());
  t.add(probe_->dump());
  t.add(inner_->dump());
  return t;
}

}  // namespace reddalert::eval
