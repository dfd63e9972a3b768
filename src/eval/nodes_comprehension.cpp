#include "eval/builtins_impl.hpp"
#include "eval/nodes.hpp"

namespace reddalert::eval {

Value iterable(Context& ctx, const Value& source, const Node& where) {
  if (source.is_error() || source.kind == Kind::List || source.kind == Kind::Map || source.is_null()) return source;
  return where.error(ctx,
                     std::string("cannot iterate over a ") + kind_name(source.kind) + "; expected a list or a map");
}

Value QuantifierNode::eval(Context& ctx) const {
  const Value source = iterable(ctx, source_->eval(ctx), *this);
  if (source.is_error()) return source;
  return over(ctx, source);
}

Value QuantifierNode::over(Context& ctx, const Value& source) const {
  std::size_t hits = 0;
  Value problem;  // the first error, which stands only if no element decides
  bool decided = false;
  source.each([&](const Value& e) {
    ctx.w.step(this);
    ctx.frame[slot_] = e;
    const Value c = cond_->eval(ctx);
    if (c.is_error()) {
      if (problem.is_null()) problem = c;
      return kind_ != Quantifier::Count;
    }
    const bool t = c.truthy();
    hits += t ? 1 : 0;
    // any and none are decided by the first hit, all by the first miss.
    decided = kind_ == Quantifier::All ? !t : kind_ != Quantifier::Count && t;
    return !decided;
  });
  switch (kind_) {
    case Quantifier::Any: return decided ? Value::of(true) : problem.is_null() ? Value::of(false) : problem;
    case Quantifier::None: return decided ? Value::of(false) : problem.is_null() ? Value::of(true) : problem;
    case Quantifier::All: return decided ? Value::of(false) : problem.is_null() ? Value::of(true) : problem;
    case Quantifier::Count: return problem.is_null() ? Value::number(static_cast<double>(hits)) : problem;
  }
  return Value();
}

base::TreeDump QuantifierNode::dump() const {
  base::TreeDump t = tree(spelling(kind_), "#" + std::to_string(slot_));
  t.add(source_->dump());
  t.add(cond_->dump());
  return t;
}

Value ComprehensionNode::eval(Context& ctx) const {
  const Value source = iterable(ctx, source_->eval(ctx), *this);
  if (source.is_error()) return source;
  return over(ctx, source);
}

bool ComprehensionNode::admit(Context& ctx, const Value& e, Value& problem) const {
  ctx.w.step(this);
  ctx.frame[slot_] = e;
  if (!filter_) return true;
  const Value keep = filter_->eval(ctx);
  if (keep.is_error()) problem = keep;
  return keep.truthy();
}

Value ComprehensionNode::over(Context& ctx, const Value& source) const {
  Value problem;
  if (!key_) {
    builtins::ListBuilder out(ctx, source.size);
    source.each([&](const Value& e) {
      if (!admit(ctx, e, problem)) return problem.is_null();
      const Value v = value_->eval(ctx);
      if (v.is_error()) return problem = v, false;
      out.push(v);
      return true;
    });
    return problem.is_null() ? out.finish() : problem;
  }
  MapEntry* entries = ctx.arena->array<MapEntry>(source.size);
  std::size_t n = 0;
  source.each([&](const Value& e) {
    if (!admit(ctx, e, problem)) return problem.is_null();
    const Value k = key_->eval(ctx);
    if (k.is_error()) return problem = k, false;
    if (k.is_null()) return true;
    Value key = k;
    if (k.kind != Kind::String) {
      TextBuilder text(ctx);
      text.append(k);
      key = text.finish();
    }
    const Value v = value_->eval(ctx);
    if (v.is_error()) return problem = v, false;
    entries[n++] = {key, v};
    return true;
  });
  if (!problem.is_null()) return problem;
  return builtins::make_map(ctx, entries, n);
}

base::TreeDump ComprehensionNode::dump() const {
  base::TreeDump t = tree(key_ ? "map-comprehension" : "list-comprehension", "#" + std::to_string(slot_));
  if (key_) t.add(key_->dump());
  t.add(value_->dump());
  t.add(source_->dump());
  if (filter_) t.add(filter_->dump());
  return t;
}

}  // namespace reddalert::eval
