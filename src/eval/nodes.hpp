// Evaluation-tree node classes, built by compile/. Families live in nodes_*.cpp.
#pragma once

#include <variant>

#include "ast/ast.hpp"
#include "eval/builtins.hpp"
#include "eval/evaluate.hpp"
#include "eval/interval_set.hpp"

namespace reddalert::eval {

// ---- basic: literals, names, access (nodes_basic.cpp) ----------------------------------
class ConstantNode : public Node {
 public:
  ConstantNode(base::Location loc, Value v) : Node(std::move(loc)), value_(std::move(v)) {}
  Value eval(Context&) const override { return value_; }
  const Value* constant() const override { return &value_; }
  ast::TreeDump dump() const override;

 private:
  Value value_;
};

class LocalNode : public Node {
 public:
  LocalNode(base::Location loc, int slot, std::string name)
      : Node(std::move(loc)), slot_(slot), name_(std::move(name)) {}
  Value eval(Context& ctx) const override { return ctx.frame->slots[static_cast<std::size_t>(slot_)]; }
  ast::TreeDump dump() const override;

 private:
  int slot_;
  std::string name_;
};

class GlobalLetNode : public Node {
 public:
  GlobalLetNode(base::Location loc, int index, std::string name)
      : Node(std::move(loc)), index_(index), name_(std::move(name)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  int index_;
  std::string name_;
};

class WindowNode : public Node {
 public:
  WindowNode(base::Location loc, bool end) : Node(std::move(loc)), end_(end) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  bool end_;
};

class CollectionNode : public Node {
 public:
  CollectionNode(base::Location loc, std::string name, bool changed)
      : Node(std::move(loc)), name_(std::move(name)), changed_(changed), key_((changed ? "changed " : "") + name_) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  std::string name_;
  bool changed_;
  std::string key_;  // of the run's cache of materialised views: "aws.X" or "changed aws.X"
};

class FieldNode : public Node {
 public:
  FieldNode(base::Location loc, NodePtr base, std::string key)
      : Node(std::move(loc)), base_(std::move(base)), key_(std::move(key)) {}
  Value eval(Context& ctx) const override { return base_->eval(ctx).get(key_); }
  ast::TreeDump dump() const override;

 private:
  NodePtr base_;
  std::string key_;  // stored once at compile time; lookups allocate nothing
};

class IndexNode : public Node {
 public:
  IndexNode(base::Location loc, NodePtr base, NodePtr index)
      : Node(std::move(loc)), base_(std::move(base)), index_(std::move(index)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  NodePtr base_, index_;
};

// base[*].rest: `per_element` sees each element in `slot`; nulls are dropped and list
// results of a nested projection are flattened one level.
class ProjectionNode : public Node {
 public:
  ProjectionNode(base::Location loc, NodePtr base, int slot, NodePtr per_element, bool flatten)
      : Node(std::move(loc)),
        base_(std::move(base)),
        slot_(slot),
        per_element_(std::move(per_element)),
        flatten_(flatten) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  NodePtr base_;
  int slot_;
  NodePtr per_element_;
  bool flatten_;
};

class TemplateNode : public Node {
 public:
  using Part = std::variant<std::string, NodePtr>;
  TemplateNode(base::Location loc, std::vector<Part> parts) : Node(std::move(loc)), parts_(std::move(parts)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  std::vector<Part> parts_;
};

class ListNode : public Node {
 public:
  ListNode(base::Location loc, std::vector<NodePtr> items) : Node(std::move(loc)), items_(std::move(items)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  std::vector<NodePtr> items_;
};

class MapNode : public Node {
 public:
  MapNode(base::Location loc, std::vector<std::pair<std::string, NodePtr>> entries)
      : Node(std::move(loc)), entries_(std::move(entries)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  std::vector<std::pair<std::string, NodePtr>> entries_;
};

class LambdaNode : public Node {
 public:
  LambdaNode(base::Location loc, int slot, NodePtr body, std::string param)
      : Node(std::move(loc)), slot_(slot), body_(std::move(body)), param_(std::move(param)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  int slot_;
  NodePtr body_;
  std::string param_;
};

class DefCallNode : public Node {
 public:
  DefCallNode(base::Location loc, const CompiledDef* def, std::vector<NodePtr> args)
      : Node(std::move(loc)), def_(def), args_(std::move(args)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  const CompiledDef* def_;  // owned by the Program; stable address
  std::vector<NodePtr> args_;
};

class BuiltinNode : public Node {
 public:
  BuiltinNode(base::Location loc, const Builtin* builtin, std::vector<NodePtr> args)
      : Node(std::move(loc)), builtin_(builtin), args_(std::move(args)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  const Builtin* builtin_;
  std::vector<NodePtr> args_;
};

// ---- operators (nodes_operators.cpp) ---------------------------------------------------
class UnaryNode : public Node {
 public:
  enum class Op { Negate, Not };
  UnaryNode(base::Location loc, Op op, NodePtr operand) : Node(std::move(loc)), op_(op), operand_(std::move(operand)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  Op op_;
  NodePtr operand_;
};

class BinaryNode : public Node {
 public:
  BinaryNode(base::Location loc, ast::BinaryOp op, NodePtr lhs, NodePtr rhs)
      : Node(std::move(loc)), op_(op), lhs_(std::move(lhs)), rhs_(std::move(rhs)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  ast::BinaryOp op_;
  NodePtr lhs_, rhs_;
};

// `x in CONST` / `x not in CONST` against a compile-time set.
class InSetNode : public Node {
 public:
  InSetNode(base::Location loc, NodePtr lhs, MembershipSet set, bool negated)
      : Node(std::move(loc)), lhs_(std::move(lhs)), set_(std::move(set)), negated_(negated) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  NodePtr lhs_;
  MembershipSet set_;
  bool negated_;
};

// `ip within CONST` / `not within` against compile-time CIDR intervals.
class WithinSetNode : public Node {
 public:
  WithinSetNode(base::Location loc, NodePtr lhs, IpSet set, bool negated)
      : Node(std::move(loc)), lhs_(std::move(lhs)), set_(std::move(set)), negated_(negated) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  NodePtr lhs_;
  IpSet set_;
  bool negated_;
};

class ConditionalNode : public Node {
 public:
  ConditionalNode(base::Location loc, NodePtr c, NodePtr a, NodePtr b)
      : Node(std::move(loc)), cond_(std::move(c)), then_(std::move(a)), else_(std::move(b)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  NodePtr cond_, then_, else_;
};

// Shared semantics, also used by builtins and constant folding.
bool op_in(const Value& x, const Value& xs, const Node& where);
bool op_within(const Value& a, const Value& b, const Node& where);
bool op_matches(const Value& s, const Value& re, const Node& where);

// ---- comprehensions (nodes_comprehension.cpp) ------------------------------------------
class QuantifierNode : public Node {
 public:
  QuantifierNode(base::Location loc, ast::QuantifierKind kind, int slot, NodePtr source, NodePtr cond)
      : Node(std::move(loc)), kind_(kind), slot_(slot), source_(std::move(source)), cond_(std::move(cond)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  ast::QuantifierKind kind_;
  int slot_;
  NodePtr source_, cond_;
};

class ComprehensionNode : public Node {
 public:
  // key == nullptr: a list comprehension.
  ComprehensionNode(base::Location loc, int slot, NodePtr key, NodePtr value, NodePtr source, NodePtr filter)
      : Node(std::move(loc)),
        slot_(slot),
        key_(std::move(key)),
        value_(std::move(value)),
        source_(std::move(source)),
        filter_(std::move(filter)) {}
  Value eval(Context& ctx) const override;
  ast::TreeDump dump() const override;

 private:
  int slot_;
  NodePtr key_, value_, source_, filter_;
};

// Iterates what a `for` or comprehension sees; a run-time problem for other kinds.
void for_each_source_element(const Value& source, const Node& where, const std::function<void(const Value&)>& f);

}  // namespace reddalert::eval
