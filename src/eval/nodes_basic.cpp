#include <cmath>

#include "base/text.hpp"
#include "eval/nodes.hpp"

namespace reddalert::eval {

ast::TreeDump Node::tree(std::string kind, std::string label) const {
  ast::TreeDump t;
  t.kind = std::move(kind);
  t.label = std::move(label);
  t.location = loc_;
  return t;
}

void Node::fail(std::string message) const { throw RuntimeProblem{loc_, std::move(message)}; }

ast::TreeDump ConstantNode::dump() const { return tree("constant", to_text(value_)); }
ast::TreeDump LocalNode::dump() const { return tree("local", name_ + " #" + std::to_string(slot_)); }
ast::TreeDump GlobalLetNode::dump() const { return tree("global-let", name_); }
ast::TreeDump WindowNode::dump() const { return tree("window", end_ ? "now" : "since"); }
ast::TreeDump CollectionNode::dump() const { return tree("collection", (changed_ ? "changed " : "") + name_); }

Value WindowNode::eval(Context& ctx) const {
  if (ctx.run.constant_only) fail(std::string("`") + (end_ ? "now" : "since") + "` is only known when the policy runs");
  return Value(static_cast<double>(end_ ? ctx.run.until : ctx.run.since));
}

Value GlobalLetNode::eval(Context& ctx) const {
  const auto i = static_cast<std::size_t>(index_);
  if (!ctx.run.lets[i]) {
    // Lint rejects cycles; this guard keeps a missed one from recursing without end.
    if (ctx.run.lets_in_progress[i]) fail("`" + name_ + "` depends on itself");
    ctx.run.lets_in_progress[i] = true;
    const CompiledLet& let = ctx.run.program.lets[i];
    Context inner{ctx.run, std::make_shared<Frame>(), nullptr};
    inner.frame->slots.resize(static_cast<std::size_t>(let.frame_size));
    try {
      ctx.run.lets[i] = let.body->eval(inner);
    } catch (...) {
      ctx.run.lets_in_progress[i] = false;
      throw;
    }
    ctx.run.lets_in_progress[i] = false;
  }
  return *ctx.run.lets[i];
}

Value CollectionNode::eval(Context& ctx) const {
  if (ctx.run.constant_only) fail("collection `" + name_ + "` is only read when the policy runs");
  // Built once per run and view: a collection read inside a loop costs a lookup.
  if (const auto it = ctx.run.collections.find(key_); it != ctx.run.collections.end()) return it->second;
  const auto& docs = changed_ ? ctx.run.data.changed(name_) : ctx.run.data.current(name_);
  List out;
  out.reserve(docs.size());
  for (const Json* d : docs) out.push_back(Value::ref(*d));
  return ctx.run.collections.emplace(key_, Value(std::move(out))).first->second;
}

ast::TreeDump FieldNode::dump() const {
  ast::TreeDump t = tree("field", key_);
  t.add(base_->dump());
  return t;
}

Value IndexNode::eval(Context& ctx) const {
  const Value base = base_->eval(ctx);
  const Value index = index_->eval(ctx);
  switch (index.kind()) {
    case Kind::String: return base.get(index.as_string());
    case Kind::Number: {
      const double d = index.as_number();
      if (base.kind() != Kind::List || d != std::floor(d)) return Value();
      const double n = static_cast<double>(base.size());
      const double i = d < 0 ? n + d : d;
      if (i < 0 || i >= n) return Value();
      return base.at(static_cast<std::size_t>(i));
    }
    case Kind::Null: return Value();
    default: fail(std::string("an index must be a number or a string, not a ") + kind_name(index.kind()));
  }
}

ast::TreeDump IndexNode::dump() const {
  ast::TreeDump t = tree("index");
  t.add(base_->dump());
  t.add(index_->dump());
  return t;
}

Value ProjectionNode::eval(Context& ctx) const {
  const Value base = base_->eval(ctx);
  List out;
  if (base.kind() != Kind::List) return Value(std::move(out));
  Value& slot = ctx.frame->slots[static_cast<std::size_t>(slot_)];
  base.for_each_element([&](const Value& e) {
    slot = e;
    Value r = per_element_->eval(ctx);
    if (r.is_null()) return;
    if (flatten_ && r.kind() == Kind::List) {
      r.for_each_element([&](const Value& x) {
        if (!x.is_null()) out.push_back(x);
      });
    } else {
      out.push_back(std::move(r));
    }
  });
  return Value(std::move(out));
}

ast::TreeDump ProjectionNode::dump() const {
  ast::TreeDump t = tree("project", "#" + std::to_string(slot_));
  t.add(base_->dump());
  t.add(per_element_->dump());
  return t;
}

Value TemplateNode::eval(Context& ctx) const {
  std::string out;
  for (const Part& p : parts_) {
    if (const auto* s = std::get_if<std::string>(&p)) {
      out += *s;
    } else {
      out += interpolate(std::get<NodePtr>(p)->eval(ctx));
    }
  }
  return Value(std::move(out));
}

ast::TreeDump TemplateNode::dump() const {
  ast::TreeDump t = tree("template");
  for (const Part& p : parts_) {
    if (const auto* s = std::get_if<std::string>(&p)) {
      ast::TreeDump text;
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
  List out;
  out.reserve(items_.size());
  for (const auto& i : items_) out.push_back(i->eval(ctx));
  return Value(std::move(out));
}

ast::TreeDump ListNode::dump() const {
  ast::TreeDump t = tree("list");
  for (const auto& i : items_) t.add(i->dump());
  return t;
}

Value MapNode::eval(Context& ctx) const {
  Map out;
  for (const auto& [k, v] : entries_) out.insert_or_assign(k, v->eval(ctx));
  return Value(std::move(out));
}

ast::TreeDump MapNode::dump() const {
  ast::TreeDump t = tree("map");
  for (const auto& [k, v] : entries_) {
    ast::TreeDump e;
    e.kind = "entry";
    e.label = base::json_quote(k);
    e.add(v->dump());
    t.add(std::move(e));
  }
  return t;
}

Value LambdaNode::eval(Context& ctx) const {
  return Value(std::make_shared<const Closure>(Closure{body_.get(), slot_, ctx.frame}));
}

ast::TreeDump LambdaNode::dump() const {
  ast::TreeDump t = tree("lambda", param_ + " #" + std::to_string(slot_));
  t.add(body_->dump());
  return t;
}

Value call_closure(Context& ctx, const Value& fn, const Value& arg, const base::Location& where) {
  if (fn.kind() != Kind::Function)
    throw RuntimeProblem{where, std::string("expected a function (x => ...), found a ") + kind_name(fn.kind())};
  const Closure& c = fn.closure();
  c.frame->slots[static_cast<std::size_t>(c.param_slot)] = arg;
  Context inner{ctx.run, c.frame, ctx.policy};
  return c.body->eval(inner);
}

Value DefCallNode::eval(Context& ctx) const {
  auto frame = std::make_shared<Frame>();
  frame->slots.resize(static_cast<std::size_t>(def_->frame_size));
  for (std::size_t i = 0; i < args_.size(); ++i) frame->slots[i] = args_[i]->eval(ctx);
  Context inner{ctx.run, std::move(frame), ctx.policy};
  return def_->body->eval(inner);
}

ast::TreeDump DefCallNode::dump() const {
  ast::TreeDump t = tree("call-def", def_->name);
  for (const auto& a : args_) t.add(a->dump());
  return t;
}

Value BuiltinNode::eval(Context& ctx) const {
  std::vector<Value> args;
  args.reserve(args_.size());
  for (const auto& a : args_) args.push_back(a->eval(ctx));
  return builtin_->fn(ctx, *this, args);
}

ast::TreeDump BuiltinNode::dump() const {
  ast::TreeDump t = tree("call-builtin", builtin_->name);
  for (const auto& a : args_) t.add(a->dump());
  return t;
}

}  // namespace reddalert::eval
