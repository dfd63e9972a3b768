// Evaluation-tree node classes, built by compile/. Families live in nodes_*.cpp.
#pragma once

#include <variant>
#include <vector>

#include "eval/builtins.hpp"
#include "eval/interval_set.hpp"
#include "eval/ops.hpp"

namespace reddalert::eval {

// ---- basic: literals, names, access (nodes_basic.cpp) ----------------------------------
class ConstantNode : public Node {
 public:
  ConstantNode(base::Location loc, Value v) : Node(std::move(loc)), value_(v) {}
  Value eval(Context&) const override { return value_; }
  const Value* constant() const override { return &value_; }
  base::TreeDump dump() const override;

 private:
  Value value_;  // its data lives in the program's arena
};

class LocalNode : public Node {
 public:
  LocalNode(base::Location loc, int slot, std::string name)
      : Node(std::move(loc)), slot_(slot), name_(std::move(name)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;
  int slot() const { return slot_; }

 private:
  int slot_;
  std::string name_;
};

class GlobalLetNode : public Node {
 public:
  GlobalLetNode(base::Location loc, int index, std::string name)
      : Node(std::move(loc)), index_(index), name_(std::move(name)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

 private:
  int index_;
  std::string name_;
};

class WindowNode : public Node {
 public:
  WindowNode(base::Location loc, bool end) : Node(std::move(loc)), end_(end) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

 private:
  bool end_;
};

class CollectionNode : public Node {
 public:
  CollectionNode(base::Location loc, std::string name, std::size_t index, bool changed)
      : Node(std::move(loc)), name_(std::move(name)), index_(index), changed_(changed) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

 private:
  std::string name_;
  std::size_t index_;  // in Program::collections
  bool changed_;
};

class FieldNode : public Node {
 public:
  FieldNode(base::Location loc, NodePtr base, std::string name)
      : Node(std::move(loc)), base_(std::move(base)), name_(std::move(name)), key_(model::intern_key(name_)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

 private:
  NodePtr base_;
  std::string name_;
  model::Key key_;  // documents file members under the same id
};

class IndexNode : public Node {
 public:
  IndexNode(base::Location loc, NodePtr base, NodePtr index)
      : Node(std::move(loc)), base_(std::move(base)), index_(std::move(index)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

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
  base::TreeDump dump() const override;

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
  base::TreeDump dump() const override;

 private:
  std::vector<Part> parts_;
};

class ListNode : public Node {
 public:
  ListNode(base::Location loc, std::vector<NodePtr> items) : Node(std::move(loc)), items_(std::move(items)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

 private:
  std::vector<NodePtr> items_;
};

class MapNode : public Node {
 public:
  // Keys in any order; a key given twice keeps its last value.
  MapNode(base::Location loc, std::vector<std::pair<std::string, NodePtr>> entries);
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

 private:
  std::vector<std::pair<std::string, NodePtr>> entries_;  // sorted by key
};

// A function value. It copies the values of the enclosing frame's slots it reads when it
// is created, so it sees them as they were then, whatever the frame holds later.
class LambdaNode : public Node {
 public:
  LambdaNode(base::Location loc, int param_slot, int frame_size, std::vector<int> captures, NodePtr body,
             std::string param)
      : Node(std::move(loc)),
        param_slot_(param_slot),
        frame_size_(frame_size),
        captures_(std::move(captures)),
        body_(std::move(body)),
        param_(std::move(param)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

 private:
  int param_slot_;
  int frame_size_;
  std::vector<int> captures_;  // slots of the enclosing frame the body reads
  NodePtr body_;
  std::string param_;
};

struct Closure {
  const Node* body;
  int param_slot;
  int frame_size;
  std::uint32_t count;
  const int* slots;  // `count` slots and the values they had
  const Value* values;
};

struct CompiledDef;

class DefCallNode : public Node {
 public:
  DefCallNode(base::Location loc, const CompiledDef* def, std::vector<NodePtr> args)
      : Node(std::move(loc)), def_(def), args_(std::move(args)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

 private:
  const CompiledDef* def_;  // owned by the Program; stable address
  std::vector<NodePtr> args_;
};

class BuiltinNode : public Node {
 public:
  BuiltinNode(base::Location loc, const lang::BuiltinSignature& signature, std::vector<NodePtr> args)
      : Node(std::move(loc)), signature_(signature), fn_(builtin_function(signature.id)), args_(std::move(args)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

 private:
  const lang::BuiltinSignature& signature_;
  BuiltinFn fn_;
  std::vector<NodePtr> args_;
};

// ---- operators (nodes_operators.cpp) ---------------------------------------------------
enum class UnaryOp { Negate, Not };

class UnaryNode : public Node {
 public:
  UnaryNode(base::Location loc, UnaryOp op, NodePtr operand)
      : Node(std::move(loc)), op_(op), operand_(std::move(operand)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

 private:
  UnaryOp op_;
  NodePtr operand_;
};

// `and`, `or`: `true or error` is true, `false and error` is false; otherwise an error
// operand is the result (CEL's rule), so an error cannot hide a decisive operand.
class LogicNode : public Node {
 public:
  LogicNode(base::Location loc, bool is_and, NodePtr lhs, NodePtr rhs)
      : Node(std::move(loc)), and_(is_and), lhs_(std::move(lhs)), rhs_(std::move(rhs)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

 private:
  bool and_;
  NodePtr lhs_, rhs_;
};

class BinaryNode : public Node {
 public:
  BinaryNode(base::Location loc, Op op, NodePtr lhs, NodePtr rhs)
      : Node(std::move(loc)), op_(op), lhs_(std::move(lhs)), rhs_(std::move(rhs)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

 private:
  Op op_;
  NodePtr lhs_, rhs_;
};

// `x in CONST` / `x not in CONST` against a compile-time set.
class InSetNode : public Node {
 public:
  InSetNode(base::Location loc, NodePtr lhs, MembershipSet set, bool negated)
      : Node(std::move(loc)), lhs_(std::move(lhs)), set_(std::move(set)), negated_(negated) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

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
  base::TreeDump dump() const override;

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
  base::TreeDump dump() const override;

 private:
  NodePtr cond_, then_, else_;
};

// ---- comprehensions (nodes_comprehension.cpp) ------------------------------------------
// any, all and none stop at the first element that decides them; an error for one element
// is the result only when no element decides (CEL's rule for `exists` and `all`).
class QuantifierNode : public Node {
 public:
  QuantifierNode(base::Location loc, Quantifier kind, int slot, NodePtr source, NodePtr cond)
      : Node(std::move(loc)), kind_(kind), slot_(slot), source_(std::move(source)), cond_(std::move(cond)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;
  // The same over the elements `candidates` of the source (a join index's lookup).
  Value over(Context& ctx, const Value& candidates) const;

 private:
  Quantifier kind_;
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
  base::TreeDump dump() const override;
  Value over(Context& ctx, const Value& candidates) const;

 private:
  // Binds `e` and runs the filter: whether the element is kept; an error is put in `problem`.
  bool admit(Context& ctx, const Value& e, Value& problem) const;

  int slot_;
  NodePtr key_, value_, source_, filter_;
};

// ---- joins (nodes_join.cpp) ---------------------------------------------------------------
// A comprehension or quantifier planned as a join (compile/planner.hpp). Its source, the
// same all run long, is filed once per run under the values `key` takes for each element
// (x in `slot`); then each evaluation looks `probe` up and runs the comprehension or
// quantifier over the matching elements alone, in their order. An element whose key could
// not be filed (an error, or not a list for `probe in key`) is always a match, and a probe
// that fails runs the whole scan: the result is what the scan would give.
class JoinNode : public Node {
 public:
  JoinNode(base::Location loc, NodePtr inner, NodePtr source, int slot, NodePtr key, NodePtr probe, bool membership,
           std::size_t index);
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override;

  struct Index;

 private:
  const Index* index(Context& ctx) const;  // null when the source cannot be filed

  NodePtr inner_;  // the ComprehensionNode or QuantifierNode
  const ComprehensionNode* comprehension_;
  const QuantifierNode* quantifier_;
  NodePtr source_;
  int slot_;
  NodePtr key_, probe_;
  bool membership_;
  std::size_t index_;  // its cell in the run (Run::index_cell)
};

// ---- tracing (trace.cpp) ----------------------------------------------------------------
// A sub-expression of a `where` in a program compiled for `explain` (CompileOptions::trace):
// its value goes to the run's tracer, at the caret `loc` (an operator, a name's start).
class TraceNode : public Node {
 public:
  TraceNode(base::Location caret, NodePtr inner) : Node(std::move(caret)), inner_(std::move(inner)) {}
  Value eval(Context& ctx) const override;
  base::TreeDump dump() const override { return inner_->dump(); }

 private:
  NodePtr inner_;
};

// Checks that `source` can be iterated by a `for`, quantifier or comprehension: a list, a
// map (its values) or null (nothing); an error value otherwise.
Value iterable(Context& ctx, const Value& source, const Node& where);

}  // namespace reddalert::eval
