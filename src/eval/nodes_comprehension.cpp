#include "eval/nodes.hpp"

namespace reddalert::eval {

void for_each_source_element(const Value& source, const Node& where, const std::function<void(const Value&)>& f) {
  if (!source.for_each_element(f)) {
    where.fail(std::string("cannot iterate over a ") + kind_name(source.kind()) + "; expected a list or a map");
  }
}

Value QuantifierNode::eval(Context& ctx) const {
  const Value source = source_->eval(ctx);
  std::size_t hits = 0, total = 0;
  bool decided = false;
  Value& slot = ctx.frame->slots[static_cast<std::size_t>(slot_)];
  for_each_source_element(source, *this, [&](const Value& e) {
    if (decided) return;
    slot = e;
    ++total;
    const bool c = cond_->eval(ctx).truthy();
    if (c) ++hits;
    // any/none stop at the first hit, all at the first miss.
    if ((kind_ == ast::QuantifierKind::Any || kind_ == ast::QuantifierKind::None) && c) decided = true;
    if (kind_ == ast::QuantifierKind::All && !c) decided = true;
  });
  switch (kind_) {
    case ast::QuantifierKind::Any: return Value(hits > 0);
    case ast::QuantifierKind::None: return Value(hits == 0);
    case ast::QuantifierKind::All: return Value(hits == total);
    case ast::QuantifierKind::Count: return Value(static_cast<double>(hits));
  }
  return Value();
}

ast::TreeDump QuantifierNode::dump() const {
  ast::TreeDump t = tree(ast::spelling(kind_), "#" + std::to_string(slot_));
  t.add(source_->dump());
  t.add(cond_->dump());
  return t;
}

Value ComprehensionNode::eval(Context& ctx) const {
  const Value source = source_->eval(ctx);
  Value& slot = ctx.frame->slots[static_cast<std::size_t>(slot_)];
  if (!key_) {
    List out;
    for_each_source_element(source, *this, [&](const Value& e) {
      slot = e;
      if (!filter_ || filter_->eval(ctx).truthy()) out.push_back(value_->eval(ctx));
    });
    return Value(std::move(out));
  }
  Map out;
  for_each_source_element(source, *this, [&](const Value& e) {
    slot = e;
    if (filter_ && !filter_->eval(ctx).truthy()) return;
    const Value k = key_->eval(ctx);
    if (k.is_null()) return;
    out.insert_or_assign(interpolate(k), value_->eval(ctx));
  });
  return Value(std::move(out));
}

ast::TreeDump ComprehensionNode::dump() const {
  ast::TreeDump t = tree(key_ ? "map-comprehension" : "list-comprehension", "#" + std::to_string(slot_));
  if (key_) t.add(key_->dump());
  t.add(value_->dump());
  t.add(source_->dump());
  if (filter_) t.add(filter_->dump());
  return t;
}

}  // namespace reddalert::eval
