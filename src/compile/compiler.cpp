#include <algorithm>
#include <cmath>

#include <re2/re2.h>

#include "ast/printer.hpp"
#include "base/sha256.hpp"
#include "compile/compile.hpp"
#include "eval/nodes.hpp"
#include "model/collections.hpp"

namespace reddalert::compile {

namespace {

using namespace reddalert::eval;
using check::Ref;

class EmptyData : public model::DataSet {
 public:
  const std::vector<const Json*>& current(std::string_view) const override { return none_; }
  const std::vector<const Json*>& changed(std::string_view) const override { return none_; }
  const Json* previous(std::string_view, std::string_view) const override { return nullptr; }
  const model::ResourceRef* resource(const Json*) const override { return nullptr; }

 private:
  std::vector<const Json*> none_;
};

class Compiler {
 public:
  Compiler(const check::CheckedProgram& checked, const check::ParamOverrides& overrides, CompileResult& out)
      : checked_(checked), overrides_(overrides), out_(out), prog_(out.program) {
    prog_.defs.resize(checked.defs.size());
    prog_.lets.resize(checked.lets.size());
    def_done_.resize(checked.defs.size());
    let_done_.resize(checked.lets.size());
    consts_.resize(checked.consts.size());
    const_state_.resize(checked.consts.size());
  }

  // Computes every constant, so a broken one is reported even when no policy uses it.
  void all_constants() {
    for (std::size_t i = 0; i < checked_.consts.size(); ++i) const_value(static_cast<int>(i));
  }

  void policy(const ast::Policy& p) {
    CompiledPolicy cp;
    cp.name = p.name;
    cp.location = p.location;
    current_policy_collections_.clear();
    params_.clear();
    for (const auto& prm : p.params) {
      Value v = constant_value(*prm.value);
      if (const auto pit = overrides_.find(p.name); pit != overrides_.end()) {
        if (const auto it = pit->second.find(prm.name); it != pit->second.end()) v = it->second.value;
      }
      params_.push_back(v);
      cp.params[prm.name] = v;
    }
    for (const auto& m : p.meta) {
      if (m.key == "severity") {
        cp.severity = m.value->as<ast::Name>() ? m.value->as<ast::Name>()->name : "";
        continue;
      }
      const Value v = constant_value(*m.value);
      if (!valid_meta(m.key, v)) {
        const char* want = m.key == "version" ? "a positive integer"
                           : m.key == "tags"  ? "a list of strings"
                                              : "a string";
        out_.diagnostics.error("E0302", m.value->location, "`" + m.key + "` must be " + want + ", found " + to_text(v));
        continue;
      }
      if (m.key == "title") {
        cp.title = interpolate(v);
      } else if (m.key == "description") {
        cp.description = interpolate(v);
      } else if (m.key == "owner") {
        cp.owner = interpolate(v);
      } else if (m.key == "version") {
        cp.revision = static_cast<int>(v.as_number());
      } else if (m.key == "tags") {
        v.for_each_element([&](const Value& t) { cp.tags.push_back(interpolate(t)); });
      }
    }
    for (const auto& c : p.clauses) {
      CompiledClause cc;
      cc.kind = c.kind == ast::ClauseKind::For   ? CompiledClause::Kind::For
                : c.kind == ast::ClauseKind::Let ? CompiledClause::Kind::Let
                                                 : CompiledClause::Kind::Where;
      if (const auto it = checked_.slots.find(&c); it != checked_.slots.end()) cc.slot = it->second;
      cc.expr = expr(*c.expr);
      cc.location = c.location;
      cp.clauses.push_back(std::move(cc));
    }
    cp.alert = expr(*p.alert);
    cp.message = expr(*p.message);
    if (p.details) cp.details = expr(*p.details);
    cp.frame_size = frame_size(&p);
    cp.fingerprint = "sha256:" + base::sha256_hex(ast::to_text(ast::dump(p), false));
    if (previous_unknown_) {
      for (const std::string& c : current_policy_collections_) prog_.collections[c].previous = true;
      previous_unknown_ = false;
    }
    prog_.policies.push_back(std::move(cp));
  }

 private:
  static bool valid_meta(const std::string& key, const Value& v) {
    if (key == "version")
      return v.kind() == Kind::Number && v.as_number() >= 1 && v.as_number() == std::floor(v.as_number());
    if (key == "tags") {
      bool strings = v.kind() == Kind::List;
      if (strings) v.for_each_element([&](const Value& t) { strings = strings && t.kind() == Kind::String; });
      return strings;
    }
    return v.kind() == Kind::String;
  }

  int frame_size(const void* owner) const {
    const auto it = checked_.frame_sizes.find(owner);
    return it == checked_.frame_sizes.end() ? 1 : it->second;
  }
  int slot_of(const void* binder) const {
    const auto it = checked_.slots.find(binder);
    return it == checked_.slots.end() ? 0 : it->second;
  }

  // Evaluates a node that does not depend on the run.
  Value evaluate_constant(const Node& n, int slots) {
    static const EmptyData empty;
    RunContext run{prog_, empty, 0, 0, nullptr, {}, {}, true, {}};
    Context ctx{run, std::make_shared<Frame>(), nullptr};
    ctx.frame->slots.resize(static_cast<std::size_t>(std::max(slots, 1)));
    return n.eval(ctx);
  }

  Value constant_value(const ast::Expr& e) {
    NodePtr n = expr(e);
    if (const Value* v = n->constant()) return *v;
    try {
      return evaluate_constant(*n, 64);
    } catch (const RuntimeProblem& p) {
      out_.diagnostics.error("E0116", p.location, "this constant cannot be computed: " + p.message);
      return Value();
    }
  }

  // Replaces `n` by its value when all of `children` are constant and evaluation succeeds.
  NodePtr fold(NodePtr n, std::initializer_list<const Node*> children) {
    for (const Node* c : children) {
      if (c == nullptr || c->constant() == nullptr) return n;
    }
    return fold_now(std::move(n));
  }
  NodePtr fold_all(NodePtr n, const std::vector<NodePtr>& children) {
    for (const auto& c : children) {
      if (c->constant() == nullptr) return n;
    }
    return fold_now(std::move(n));
  }
  NodePtr fold_now(NodePtr n) {
    try {
      Value v = evaluate_constant(*n, 1);
      return std::make_unique<ConstantNode>(n->location(), std::move(v));
    } catch (const RuntimeProblem&) {
      return n;  // reported when it runs, with the resource it ran on
    }
  }

  NodePtr expr(const ast::Expr& e) {
    return std::visit([&](const auto& n) { return node(e, n); }, e.node);
  }

  NodePtr constant(const ast::Expr& e, Value v) { return std::make_unique<ConstantNode>(e.location, std::move(v)); }

  NodePtr node(const ast::Expr& e, const ast::NullLit&) { return constant(e, Value()); }
  NodePtr node(const ast::Expr& e, const ast::BoolLit& b) { return constant(e, Value(b.value)); }
  NodePtr node(const ast::Expr& e, const ast::NumberLit& n) { return constant(e, Value(n.value)); }
  NodePtr node(const ast::Expr& e, const ast::DurationLit& d) { return constant(e, Value(d.millis)); }
  NodePtr node(const ast::Expr& e, const ast::RawString& s) { return constant(e, Value(s.value)); }
  NodePtr node(const ast::Expr& e, const ast::RegexLit& r) {
    auto re = std::make_shared<const RE2>(r.pattern, RE2::Quiet);
    if (!re->ok()) return constant(e, Value(r.pattern));  // lint reports it
    return constant(e, Value(std::shared_ptr<const RE2>(re)));
  }
  NodePtr node(const ast::Expr& e, const ast::TemplateString& s) {
    std::vector<TemplateNode::Part> parts;
    bool all_constant = true;
    for (const auto& p : s.parts) {
      if (const auto* text = std::get_if<std::string>(&p)) {
        parts.emplace_back(*text);
      } else {
        NodePtr n = expr(*std::get<ast::ExprPtr>(p));
        all_constant = all_constant && n->constant() != nullptr;
        parts.emplace_back(std::move(n));
      }
    }
    NodePtr t = std::make_unique<TemplateNode>(e.location, std::move(parts));
    return all_constant ? fold_now(std::move(t)) : std::move(t);
  }
  NodePtr node(const ast::Expr& e, const ast::ListLit& l) {
    std::vector<NodePtr> items;
    for (const auto& i : l.items) items.push_back(expr(*i));
    bool all_constant = true;
    for (const auto& i : items) all_constant = all_constant && i->constant();
    NodePtr n = std::make_unique<ListNode>(e.location, std::move(items));
    return all_constant ? fold_now(std::move(n)) : std::move(n);
  }
  NodePtr node(const ast::Expr& e, const ast::MapLit& m) {
    std::vector<std::pair<std::string, NodePtr>> entries;
    bool all_constant = true;
    for (const auto& entry : m.entries) {
      NodePtr v = expr(*entry.value);
      all_constant = all_constant && v->constant();
      entries.emplace_back(entry.key, std::move(v));
    }
    NodePtr n = std::make_unique<MapNode>(e.location, std::move(entries));
    return all_constant ? fold_now(std::move(n)) : std::move(n);
  }
  NodePtr node(const ast::Expr& e, const ast::Name& n) {
    const auto it = checked_.refs.find(&e);
    if (it == checked_.refs.end()) return constant(e, Value());
    const Ref& r = it->second;
    switch (r.kind) {
      case Ref::Kind::Local: return std::make_unique<LocalNode>(e.location, r.index, n.name);
      case Ref::Kind::Param:
        return constant(e, static_cast<std::size_t>(r.index) < params_.size()
                               ? params_[static_cast<std::size_t>(r.index)]
                               : Value());
      case Ref::Kind::Const: return constant(e, const_value(r.index));
      case Ref::Kind::Let: ensure_let(r.index); return std::make_unique<GlobalLetNode>(e.location, r.index, n.name);
      case Ref::Kind::Now: return std::make_unique<WindowNode>(e.location, true);
      case Ref::Kind::Since: return std::make_unique<WindowNode>(e.location, false);
      default: return constant(e, Value());
    }
  }
  NodePtr node(const ast::Expr& e, const ast::CollectionRef& c) {
    const std::string full = c.full_name();
    auto& needs = prog_.collections[full];
    (c.changed ? needs.changed : needs.current) = true;
    current_policy_collections_.insert(full);
    return std::make_unique<CollectionNode>(e.location, full, c.changed);
  }
  NodePtr node(const ast::Expr& e, const ast::Field& f) {
    NodePtr base = expr(*f.base);
    const Node* b = base.get();
    return fold(std::make_unique<FieldNode>(e.location, std::move(base), f.name), {b});
  }
  NodePtr node(const ast::Expr& e, const ast::Index& i) {
    NodePtr base = expr(*i.base);
    NodePtr index = expr(*i.index);
    const Node *b = base.get(), *x = index.get();
    return fold(std::make_unique<IndexNode>(e.location, std::move(base), std::move(index)), {b, x});
  }
  NodePtr node(const ast::Expr& e, const ast::Elem&) {
    return std::make_unique<LocalNode>(e.location, projection_slots_.empty() ? 0 : projection_slots_.back(), "[*]");
  }
  NodePtr node(const ast::Expr& e, const ast::Projection& p) {
    NodePtr base = expr(*p.base);
    const int slot = slot_of(&e);
    projection_slots_.push_back(slot);
    NodePtr per = expr(*p.per_element);
    projection_slots_.pop_back();
    const bool flatten = p.per_element->as<ast::Projection>() != nullptr;
    return std::make_unique<ProjectionNode>(e.location, std::move(base), slot, std::move(per), flatten);
  }
  NodePtr node(const ast::Expr& e, const ast::Call& c) {
    std::vector<NodePtr> args;
    for (const auto& a : c.args) args.push_back(expr(*a));
    const auto it = checked_.refs.find(&e);
    if (it == checked_.refs.end()) return constant(e, Value());
    if (it->second.kind == Ref::Kind::Def) {
      ensure_def(it->second.index);
      return std::make_unique<DefCallNode>(e.location, &prog_.defs[static_cast<std::size_t>(it->second.index)],
                                           std::move(args));
    }
    const Builtin* b = find_builtin(c.name);
    if (c.name == "previous") {
      const auto pc = checked_.previous_collections.find(&e);
      if (pc != checked_.previous_collections.end()) {
        prog_.collections[pc->second].previous = true;
      } else {
        previous_unknown_ = true;
      }
    }
    const bool foldable =
        b->pure && std::all_of(args.begin(), args.end(), [](const NodePtr& a) { return a->constant() != nullptr; });
    NodePtr n = std::make_unique<BuiltinNode>(e.location, b, std::move(args));
    return foldable ? fold_now(std::move(n)) : std::move(n);
  }
  NodePtr node(const ast::Expr& e, const ast::Negate& n) {
    NodePtr o = expr(*n.operand);
    const Node* p = o.get();
    return fold(std::make_unique<UnaryNode>(e.location, UnaryNode::Op::Negate, std::move(o)), {p});
  }
  NodePtr node(const ast::Expr& e, const ast::Not& n) {
    NodePtr o = expr(*n.operand);
    const Node* p = o.get();
    return fold(std::make_unique<UnaryNode>(e.location, UnaryNode::Op::Not, std::move(o)), {p});
  }
  NodePtr node(const ast::Expr& e, const ast::Binary& b) {
    using Op = ast::BinaryOp;
    NodePtr lhs = expr(*b.lhs);
    NodePtr rhs = expr(*b.rhs);
    const Value* rc = rhs->constant();
    if (rc && lhs->constant() == nullptr) {
      if ((b.op == Op::In || b.op == Op::NotIn) && rc->kind() == Kind::List) {
        return std::make_unique<InSetNode>(e.location, std::move(lhs), MembershipSet(*rc), b.op == Op::NotIn);
      }
      if ((b.op == Op::Within || b.op == Op::NotWithin) && (rc->kind() == Kind::List || rc->kind() == Kind::String)) {
        Value list = rc->kind() == Kind::List ? *rc : Value(List{*rc});
        IpSet set(list);
        if (set.valid())
          return std::make_unique<WithinSetNode>(e.location, std::move(lhs), std::move(set), b.op == Op::NotWithin);
      }
    }
    const Node *l = lhs.get(), *r = rhs.get();
    return fold(std::make_unique<BinaryNode>(e.location, b.op, std::move(lhs), std::move(rhs)), {l, r});
  }
  NodePtr node(const ast::Expr& e, const ast::Conditional& c) {
    NodePtr cond = expr(*c.cond);
    if (const Value* v = cond->constant()) return v->truthy() ? expr(*c.then_expr) : expr(*c.else_expr);
    return std::make_unique<ConditionalNode>(e.location, std::move(cond), expr(*c.then_expr), expr(*c.else_expr));
  }
  NodePtr node(const ast::Expr& e, const ast::Quantifier& q) {
    return std::make_unique<QuantifierNode>(e.location, q.kind, slot_of(&e), expr(*q.source), expr(*q.cond));
  }
  NodePtr node(const ast::Expr& e, const ast::ListComp& c) {
    return std::make_unique<ComprehensionNode>(e.location, slot_of(&e), nullptr, expr(*c.element), expr(*c.source),
                                               c.filter ? expr(*c.filter) : nullptr);
  }
  NodePtr node(const ast::Expr& e, const ast::MapComp& c) {
    return std::make_unique<ComprehensionNode>(e.location, slot_of(&e), expr(*c.key), expr(*c.value), expr(*c.source),
                                               c.filter ? expr(*c.filter) : nullptr);
  }
  NodePtr node(const ast::Expr& e, const ast::Lambda& l) {
    return std::make_unique<LambdaNode>(e.location, slot_of(&e), expr(*l.body), l.param);
  }

  // ---- globals, compiled on first use ---------------------------------------------------
  Value const_value(int index) {
    const auto i = static_cast<std::size_t>(index);
    if (const_state_[i] == 2) return consts_[i];
    const ast::Const& c = *checked_.consts[i];
    if (const_state_[i] == 1) {
      out_.diagnostics.error("E0108", c.location, "constant `" + c.name + "` depends on itself", "");
      return Value();
    }
    const_state_[i] = 1;
    const auto saved_params = std::move(params_);
    params_.clear();
    NodePtr n = expr(*c.value);
    try {
      consts_[i] = n->constant() ? *n->constant() : evaluate_constant(*n, frame_size(&c));
    } catch (const RuntimeProblem& p) {
      out_.diagnostics.error("E0116", p.location, "constant `" + c.name + "` cannot be computed: " + p.message);
    }
    params_ = saved_params;
    const_state_[i] = 2;
    return consts_[i];
  }

  void ensure_def(int index) {
    const auto i = static_cast<std::size_t>(index);
    if (def_done_[i]) return;
    def_done_[i] = true;
    const ast::Def& d = *checked_.defs[i];
    CompiledDef& cd = prog_.defs[i];
    cd.name = d.name;
    cd.frame_size = frame_size(&d);
    cd.body = global_body(*d.body);
  }

  void ensure_let(int index) {
    const auto i = static_cast<std::size_t>(index);
    if (let_done_[i]) return;
    let_done_[i] = true;
    const ast::Let& l = *checked_.lets[i];
    CompiledLet& cl = prog_.lets[i];
    cl.name = l.name;
    cl.frame_size = frame_size(&l);
    cl.body = global_body(*l.value);
  }

  // The body of a def or top-level let, compiled from inside a policy or not: no
  // policy's params are visible there.
  NodePtr global_body(const ast::Expr& body) {
    const auto saved_params = std::move(params_);
    params_.clear();
    NodePtr n = expr(body);
    params_ = saved_params;
    return n;
  }

  const check::CheckedProgram& checked_;
  const check::ParamOverrides& overrides_;
  CompileResult& out_;
  Program& prog_;
  std::vector<Value> params_;
  std::vector<Value> consts_;
  std::vector<int> const_state_;  // 0 new, 1 computing, 2 done
  std::vector<bool> def_done_, let_done_;
  std::vector<int> projection_slots_;
  std::set<std::string> current_policy_collections_;
  bool previous_unknown_ = false;
};

}  // namespace

CompileResult compile(const check::CheckedProgram& checked, const std::set<std::string>* only,
                      const check::ParamOverrides* overrides) {
  CompileResult out;
  Compiler c(checked, overrides ? *overrides : checked.overrides, out);
  c.all_constants();
  for (const ast::Policy* p : checked.policies) {
    if (only == nullptr || only->count(p->name)) c.policy(*p);
  }
  return out;
}

}  // namespace reddalert::compile
