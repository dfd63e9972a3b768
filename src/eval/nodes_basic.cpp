#include <algorithm>
#include <cmath>

#include "base/json_text.hpp"
#include "eval/builtins_impl.hpp"
#include "eval/nodes.hpp"

namespace reddalert::eval {

base::TreeDump ConstantNode::dump() const { return tree("constant", to_text(value_)); }
base::TreeDump LocalNode::dump() const { return tree("local", name_ + " #" + std::to_string(slot_)); }
base::TreeDump GlobalLetNode::dump() const { return tree("global-let", name_); }
base::TreeDump WindowNode::dump() const { return tree("window", end_ ? "now" : "since"); }
base::TreeDump CollectionNode::dump() const { return tree("collection", (changed_ ? "changed " : "") + name_); }

Value LocalNode::eval(Context& ctx) const { return ctx.frame[slot_]; }

Value WindowNode::eval(Context& ctx) const {
  if (ctx.run.constant_only())
    return error(ctx, std::string("`") + (end_ ? "now" : "since") + "` is only known when the policy runs");
  return Value::number(static_cast<double>(end_ ? ctx.run.until : ctx.run.since));
}

Value GlobalLetNode::eval(Context& ctx) const { return ctx.run.let(static_cast<std::size_t>(index_), ctx); }

Value CollectionNode::eval(Context& ctx) const {
  if (ctx.run.constant_only()) return error(ctx, "collection `" + name_ + "` is only read when the policy runs");
  const std::span<const model::Doc> docs = ctx.run.view(index_, changed_);
  return Value::doc_list(docs.data(), docs.size());
}

Value FieldNode::eval(Context& ctx) const {
  const Value base = base_->eval(ctx);
  if (base.is_error()) return base;
  return base.get(key_, name_);
}

base::TreeDump FieldNode::dump() const {
  base::TreeDump t = tree("field", name_);
  t.add(base_->dump());
  return t;
}

Value IndexNode::eval(Context& ctx) const {
  const Value base = base_->eval(ctx);
  if (base.is_error()) return base;
  const Value index = index_->eval(ctx);
  if (index.is_error()) return index;
  switch (index.kind) {
    case Kind::String: return base.get(index.str());
    case Kind::Number: {
      const double d = index.num;
      if (base.kind != Kind::List || d != std::floor(d)) return Value();
      const double n = static_cast<double>(base.size);
      const double i = d < 0 ? n + d : d;
      if (i < 0 || i >= n) return Value();
      return base.at(static_cast<std::size_t>(i));
    }
    case Kind::Null: return Value();
    default: return error(ctx, std::string("an index must be a number or a string, not a ") + kind_name(index.kind));
  }
}

base::TreeDump IndexNode::dump() const {
  base::TreeDump t = tree("index");
  t.add(base_->dump());
  t.add(index_->dump());
  return t;
}

Value ProjectionNode::eval(Context& ctx) const {
  const Value base = base_->eval(ctx);
  if (base.is_error()) return base;
  if (base.kind != Kind::List) return Value::list(nullptr, 0);
  builtins::ListBuilder out(ctx, base.size);
  for (std::uint32_t i = 0; i < base.size; ++i) {
    ctx.w.step(this);
    ctx.frame[slot_] = base.at(i);
    const Value r = per_element_->eval(ctx);
    if (r.is_error()) return r;
    if (r.is_null()) continue;
    if (flatten_ && r.kind == Kind::List) {
      for (std::uint32_t k = 0; k < r.size; ++k) {
        const Value x = r.at(k);
        if (!x.is_null()) out.push(x);
      }
    } else {
      out.push(r);
    }
  }
  return out.finish();
}

base::TreeDump ProjectionNode::dump() const {
  base::TreeDump t = tree("project", "#" + std::to_string(slot_));
  t.add(base_->dump());
  t.add(per_element_->dump());
  return t;
}

Value TemplateNode::eval(Context& ctx) const {
  TextBuilder text(ctx);
  for (const Part& p : parts_) {
    if (const auto* s = std::get_if<std::string>(&p)) {
      text.append(*s);
      continue;
    }
    const Value v = std::get<NodePtr>(p)->eval(ctx);
    if (v.is_error()) return v;
    text.append(v);
  }
  return text.finish();
}

base::TreeDump TemplateNode::dump() const {
  base::TreeDump t = tree("template");
  for (const Part& p : parts_) {
    if (const auto* s = std::get_if<std::string>(&p)) {
      base::TreeDump text;
      text.kind = "text";
      text.label = base::json_quote(*s);
      t.add(std::move(text));
    } else {
      t.add(std::get<NodePtr>(p)->dump());
    }
  }
  return t;
}

Value ListNode::eval(Context& ctx) const {
  Value* items = ctx.items(items_.size());
  for (std::size_t i = 0; i < items_.size(); ++i) {
    items[i] = items_[i]->eval(ctx);
    if (items[i].is_error()) return items[i];
  }
  return Value::list(items, items_.size());
}

base::TreeDump ListNode::dump() const {
  base::TreeDump t = tree("list");
  for (const auto& i : items_) t.add(i->dump());
  return t;
}

MapNode::MapNode(base::Location loc, std::vector<std::pair<std::string, NodePtr>> entries) : Node(std::move(loc)) {
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& e : entries) {
    if (!entries_.empty() && entries_.back().first == e.first) {
      entries_.back().second = std::move(e.second);
    } else {
      entries_.push_back(std::move(e));
    }
  }
}

Value MapNode::eval(Context& ctx) const {
  MapEntry* entries = ctx.arena->array<MapEntry>(entries_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Value v = entries_[i].second->eval(ctx);
    if (v.is_error()) return v;
    entries[i] = {Value::string(entries_[i].first), v};
  }
  return Value::map(entries, entries_.size());
}

base::TreeDump MapNode::dump() const {
  base::TreeDump t = tree("map");
  for (const auto& [k, v] : entries_) {
    base::TreeDump e;
    e.kind = "entry";
    e.label = base::json_quote(k);
    e.add(v->dump());
    t.add(std::move(e));
  }
  return t;
}

Value LambdaNode::eval(Context& ctx) const {
  auto* c = ctx.arena->array<Closure>(1);
  Value* values = ctx.items(captures_.size());
  for (std::size_t i = 0; i < captures_.size(); ++i) values[i] = ctx.frame[captures_[i]];
  *c = Closure{body_.get(),      param_slot_, frame_size_, static_cast<std::uint32_t>(captures_.size()),
               captures_.data(), values};
  Value v;
  v.kind = Kind::Function;
  v.closure = c;
  return v;
}

base::TreeDump LambdaNode::dump() const {
  std::string label = param_ + " #" + std::to_string(param_slot_);
  if (!captures_.empty()) {
    label += " captures";
    for (const int s : captures_) label += " #" + std::to_string(s);
  }
  base::TreeDump t = tree("lambda", label);
  t.add(body_->dump());
  return t;
}

Value DefCallNode::eval(Context& ctx) const {
  ctx.w.step(this);
  Value* frame = ctx.w.push(static_cast<std::size_t>(def_->frame_size), this);
  for (std::size_t i = 0; i < args_.size(); ++i) {
    frame[i] = args_[i]->eval(ctx);
    if (frame[i].is_error()) {
      const Value e = frame[i];
      ctx.w.pop(static_cast<std::size_t>(def_->frame_size));
      return e;
    }
  }
  Value* const caller = ctx.frame;
  ctx.frame = frame;
  const Value result = def_->body->eval(ctx);
  ctx.frame = caller;
  ctx.w.pop(static_cast<std::size_t>(def_->frame_size));
  return result;
}

base::TreeDump DefCallNode::dump() const {
  base::TreeDump t = tree("call-def", def_->name);
  for (const auto& a : args_) t.add(a->dump());
  return t;
}

Value BuiltinNode::eval(Context& ctx) const {
  const std::size_t n = args_.size();
  Value* args = ctx.w.push(n, this);
  for (std::size_t i = 0; i < n; ++i) {
    args[i] = args_[i]->eval(ctx);
    if (args[i].is_error()) {
      const Value e = args[i];
      ctx.w.pop(n);
      return e;
    }
  }
  const Value result = fn_(ctx, *this, Args(args, n));
  ctx.w.pop(n);
  return result;
}

base::TreeDump BuiltinNode::dump() const {
  base::TreeDump t = tree("call-builtin", signature_.name);
  for (const auto& a : args_) t.add(a->dump());
  return t;
}

}  // namespace reddalert::eval

namespace reddalert::eval {

Value call_closure(Context& ctx, const Value& fn, const Value& arg, const Node& where) {
  if (fn.kind != Kind::Function) {
    return where.error(ctx, std::string("expected a function (x => ...), found a ") + kind_name(fn.kind));
  }
  ctx.w.step(&where);
  const Closure& c = *fn.closure;
  const Frame frame(ctx, static_cast<std::size_t>(c.frame_size), &where);
  for (std::uint32_t i = 0; i < c.count; ++i) ctx.frame[c.slots[i]] = c.values[i];
  ctx.frame[c.param_slot] = arg;
  return c.body->eval(ctx);
}

const model::ResourceRef* resource_of(const Context& ctx, const Value& v) {
  if (v.kind != Kind::Map || !v.doc_backed() || v.object->record == model::kNoRecord || ctx.run.data == nullptr) {
    return nullptr;
  }
  model::Doc doc;
  std::memcpy(static_cast<void*>(&doc), &v, sizeof doc);  // a document object viewed as a value
  return ctx.run.data->resource(doc);
}

}  // namespace reddalert::eval
