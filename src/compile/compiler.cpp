#include <algorithm>
#include <cassert>
#include <cmath>

#include <re2/re2.h>

#include "ast/printer.hpp"
#include "base/json_text.hpp"
#include "base/sha256.hpp"
#include "base/url.hpp"
#include "check/metadata.hpp"
#include "compile/compile.hpp"
#include "compile/planner.hpp"
#include "compile/reads.hpp"
#include "eval/nodes.hpp"
#include "model/collections.hpp"
#include "model/field_path.hpp"

namespace reddalert::compile {

namespace {

using namespace reddalert::eval;
using check::Ref;

// The largest value one constant (or folded expression) may compute (language.md, section 3).
constexpr std::size_t kMaxConstantBytes = std::size_t{1} << 20;

Op op_of(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Coalesce: return Op::Coalesce;
    case ast::BinaryOp::Or: return Op::Or;
    case ast::BinaryOp::And: return Op::And;
    case ast::BinaryOp::Eq: return Op::Eq;
    case ast::BinaryOp::Ne: return Op::Ne;
    case ast::BinaryOp::Lt: return Op::Lt;
    case ast::BinaryOp::Le: return Op::Le;
    case ast::BinaryOp::Gt: return Op::Gt;
    case ast::BinaryOp::Ge: return Op::Ge;
    case ast::BinaryOp::In: return Op::In;
    case ast::BinaryOp::NotIn: return Op::NotIn;
    case ast::BinaryOp::Within: return Op::Within;
    case ast::BinaryOp::NotWithin: return Op::NotWithin;
    case ast::BinaryOp::Matches: return Op::Matches;
    case ast::BinaryOp::NotMatches: return Op::NotMatches;
    case ast::BinaryOp::Range: return Op::Range;
    case ast::BinaryOp::Add: return Op::Add;
    case ast::BinaryOp::Sub: return Op::Sub;
    case ast::BinaryOp::Mul: return Op::Mul;
    case ast::BinaryOp::Div: return Op::Div;
    case ast::BinaryOp::Mod: return Op::Mod;
  }
  return Op::Eq;
}

Quantifier quantifier_of(ast::QuantifierKind k) {
  switch (k) {
    case ast::QuantifierKind::Any: return Quantifier::Any;
    case ast::QuantifierKind::All: return Quantifier::All;
    case ast::QuantifierKind::None: return Quantifier::None;
    case ast::QuantifierKind::Count: return Quantifier::Count;
  }
  return Quantifier::Any;
}

class Compiler {
 public:
  Compiler(const check::CheckedProgram& checked, const check::ParamOverrides& overrides, const CompileOptions& options,
           CompileResult& out)
      : checked_(checked), overrides_(overrides), options_(options), out_(out), prog_(out.program), planner_(checked) {
    prog_.defs.resize(checked.defs.size());
    prog_.lets.resize(checked.lets.size());
    def_done_.resize(checked.defs.size());
    let_done_.resize(checked.lets.size());
    consts_.resize(checked.consts.size());
    const_state_.resize(checked.consts.size());
    // Compile-time evaluation: no data, no window; the values go to the program's arena.
    run_ = std::make_unique<Run>(prog_, nullptr, 0, 0, nullptr, Options{});
    worker_ = std::make_unique<Worker>(Options{});
  }

  // Computes every constant, so a broken one is reported even when no policy uses it.
  void all_constants() {
    for (std::size_t i = 0; i < checked_.consts.size(); ++i) const_value(static_cast<int>(i));
  }

  // The policy's name, params and metadata: what `policy` computes before its clauses.
  void header(const ast::Policy& p, CompiledPolicy& cp) {
    cp.name = p.name;
    cp.location = p.location;
    frame_size_ = checked_.frame_size(p.id);
    params_.clear();
    for (const auto& prm : p.params) {
      Value v = constant_value(*prm.value);
      if (const auto pit = overrides_.find(p.name); pit != overrides_.end()) {
        if (const auto it = pit->second.find(prm.name); it != pit->second.end()) {
          v = value_from_json(it->second.value, *prog_.constants);
        }
      }
      params_.push_back(v);
      cp.params[prm.name] = v;
    }
    for (const auto& m : p.meta) {
      if (m.key == "severity") {
        cp.severity = m.value->as<ast::Name>() ? m.value->as<ast::Name>()->name : "";
        continue;
      }
      if (m.key == "controls") {  // a literal, read as written (check/metadata.hpp)
        cp.controls = check::controls_of(p);
        continue;
      }
      if (m.key == "requires") {  // a literal too; the checker resolved each path
        for (const std::string& text : check::requires_of(p)) {
          std::string error;
          if (const auto f = model::resolve_field_path(text, error)) {
            cp.required.push_back({.collection = f->collection->name, .fields = f->fields, .text = text});
          }
        }
        continue;
      }
      const Value v = constant_value(*m.value);
      if (!valid_meta(m.key, v)) {
        const char* want = m.key == "version"                         ? "a positive integer"
                           : m.key == "tags" || m.key == "references" ? "a list of strings"
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
        cp.revision = static_cast<int>(v.num);
      } else if (m.key == "tags") {
        v.each([&](const Value& t) { return cp.tags.push_back(interpolate(t)), true; });
      } else if (m.key == "help_url") {
        cp.help_url = interpolate(v);
        check_url(m, cp.help_url);
      } else if (m.key == "references") {
        v.each([&](const Value& t) { return cp.references.push_back(interpolate(t)), true; });
        for (const std::string& url : cp.references) check_url(m, url);
      }
    }
  }

  void policy(const ast::Policy& p) {
    CompiledPolicy cp;
    header(p, cp);
    for (const auto& c : p.clauses) {
      CompiledClause cc;
      cc.kind = c.kind == ast::ClauseKind::For   ? CompiledClause::Kind::For
                : c.kind == ast::ClauseKind::Let ? CompiledClause::Kind::Let
                                                 : CompiledClause::Kind::Where;
      if (c.kind != ast::ClauseKind::Where) {
        cc.slot = checked_.slot(c.id);
        cc.name = c.name;
        assert(cc.slot >= 0 && "the checker gives every binder a slot");
      }
      {
        const TraceScope traced(*this, options_.trace && c.kind == ast::ClauseKind::Where);
        cc.expr = expr(*c.expr);
      }
      cc.location = c.location;
      if (checked_.constant_conditions.contains(c.id)) constant_condition(*c.expr, *cc.expr);
      cp.clauses.push_back(std::move(cc));
    }
    cp.alert = expr(*p.alert);
    cp.message = expr(*p.message);
    if (p.details) cp.details = expr(*p.details);
    if (p.key) cp.key = expr(*p.key);
    cp.frame_size = frame_size_;
    cp.fingerprint = "sha256:" + base::sha256_hex(base::to_text(ast::dump(p), false));
    prog_.policies.push_back(std::move(cp));
  }

 private:
  // A computed `help_url` or reference that is not an http(s) URL (literals: the checker).
  void check_url(const ast::MetaField& m, const std::string& url) {
    const std::string problem = check::metadata_url_problem(url);
    if (problem.empty()) return;
    out_.diagnostics.error("E0303", m.value->location,
                           (m.key == "help_url" ? std::string("`help_url`") : "each of `" + m.key + "`") + " must be " +
                               base::url_kind(base::kHttpSchemes) + ": " + problem + ", found " +
                               base::json_quote(base::redact_url(url)),
                           check::kUrlHint);
  }

  // The checker found the condition made only of literals and constants; its value, known
  // here, says what the clause does whatever the data (W0208).
  void constant_condition(const ast::Expr& condition, const Node& compiled) {
    const Value* v = compiled.constant();
    if (v == nullptr) return;  // it fails: the run reports it
    out_.diagnostics.warning("W0208", condition.location,
                             v->truthy() ? "this `where` condition is always true: the clause keeps every binding"
                                         : "this `where` condition is never true: the clause drops every binding, so "
                                           "the policy never alerts",
                             "a condition should test the bound values (`x.field`, a `let`) or a param; remove the "
                             "clause, or compare what was meant");
  }

  static bool valid_meta(const std::string& key, const Value& v) {
    if (key == "version") return v.kind == Kind::Number && v.num >= 1 && v.num == std::floor(v.num);
    if (key == "tags" || key == "references") {
      bool strings = v.kind == Kind::List;
      if (strings) v.each([&](const Value& t) { return strings = t.kind == Kind::String; });
      return strings;
    }
    return v.kind == Kind::String;
  }

  int slot_of(const ast::Expr& binder) const {
    const int slot = checked_.slot(binder.id);
    assert(slot >= 0 && "the checker gives every binder a slot");
    return slot;
  }

  // Evaluates a node that does not depend on the run; an error value when it cannot. Its
  // value may take kMaxConstantBytes: lint computes every constant, and forty constants
  // that each double the last would otherwise take a terabyte.
  Value evaluate_constant(const Node& n, int slots) {
    Context ctx{*run_, *worker_, prog_.constants.get(), nullptr, nullptr, nullptr};
    const Worker::Budget budget = worker_->begin_budget(Options{}.max_steps);
    const std::size_t top = worker_->top();
    base::Arena& values = *prog_.constants;
    values.set_limit(values.used() + kMaxConstantBytes);
    Value v;
    try {
      const Frame frame(ctx, static_cast<std::size_t>(std::max(slots, 1)), &n);
      v = n.eval(ctx);
    } catch (const BudgetExceeded& b) {
      worker_->truncate(top);
      v = (b.where ? *b.where : n).error(ctx, b.message);
    } catch (const base::ArenaLimit&) {
      worker_->truncate(top);
      values.set_limit(0);
      v = n.error(ctx, "its value takes more than " + std::to_string(kMaxConstantBytes >> 20) +
                           "MiB; compute large values at run time, in a `let`");
    }
    values.set_limit(0);  // the run allocates here too, unbounded
    worker_->restore(budget);
    return v;
  }

  Value constant_value(const ast::Expr& e) {
    NodePtr n = expr(e);
    if (const Value* v = n->constant()) return *v;
    const Value v = evaluate_constant(*n, 64);
    if (v.is_error()) {
      out_.diagnostics.error("E0116", v.error->where->location(),
                             "this constant cannot be computed: " + std::string(v.error->message));
      return Value();
    }
    keep_alive(std::move(n));
    return v;
  }

  // Constants may point into the node that computed them (map keys): keep it.
  void keep_alive(NodePtr n) { prog_.retained.push_back(std::shared_ptr<const Node>(std::move(n))); }

  // Replaces `n` by its value when all of `children` are constant and evaluation succeeds.
  NodePtr fold(NodePtr n, std::initializer_list<const Node*> children) {
    for (const Node* c : children) {
      if (c == nullptr || c->constant() == nullptr) return n;
    }
    return fold_now(std::move(n));
  }
  NodePtr fold_now(NodePtr n) {
    const Value v = evaluate_constant(*n, 1);
    if (v.is_error()) return n;  // reported when it runs, with the resource it ran on
    base::Location loc = n->location();
    keep_alive(std::move(n));
    return std::make_unique<ConstantNode>(std::move(loc), v);
  }

  NodePtr expr(const ast::Expr& e) {
    NodePtr n = std::visit([&](const auto& n) { return node(e, n); }, e.node);
    if (tracing_ && n->constant() == nullptr) n = std::make_unique<TraceNode>(caret(e), std::move(n));
    return n;
  }

  // Whether expr() wraps what it compiles in TraceNodes, for the duration of a scope.
  class TraceScope {
   public:
    TraceScope(Compiler& c, bool on) : c_(c), saved_(std::exchange(c.tracing_, on)) {}
    ~TraceScope() { c_.tracing_ = saved_; }
    TraceScope(const TraceScope&) = delete;
    TraceScope& operator=(const TraceScope&) = delete;

   private:
    Compiler& c_;
    bool saved_;
  };
  // What runs more than once per binding (a body per element) or outside the clause (a def):
  // compiled without trace nodes.
  NodePtr untraced(const ast::Expr& e) {
    const TraceScope off(*this, false);
    return expr(e);
  }

  // Where `explain` puts the caret of `e`'s value: under `and`, `or` and `??` themselves,
  // under the start of a chain of accesses (`a.b[0].c`), else where the node is.
  static base::Location caret(const ast::Expr& e) {
    if (const auto* b = e.as<ast::Binary>(); b && b->op_location.known()) return b->op_location;
    const ast::Expr* x = &e;
    for (;;) {
      if (const auto* f = x->as<ast::Field>()) {
        x = f->base.get();
      } else if (const auto* i = x->as<ast::Index>()) {
        x = i->base.get();
      } else {
        return x->location;
      }
    }
  }

  NodePtr constant(const ast::Expr& e, Value v) { return std::make_unique<ConstantNode>(e.location, v); }
  Value text(std::string_view s) { return Value::string(prog_.constants->copy(s)); }

  NodePtr node(const ast::Expr& e, const ast::NullLit&) { return constant(e, Value()); }
  NodePtr node(const ast::Expr& e, const ast::BoolLit& b) { return constant(e, Value::of(b.value)); }
  NodePtr node(const ast::Expr& e, const ast::NumberLit& n) { return constant(e, Value::number(n.value)); }
  NodePtr node(const ast::Expr& e, const ast::DurationLit& d) { return constant(e, Value::number(d.millis)); }
  NodePtr node(const ast::Expr& e, const ast::RawString& s) { return constant(e, text(s.value)); }
  NodePtr node(const ast::Expr& e, const ast::RegexLit& r) {
    auto re = std::make_shared<const RE2>(r.pattern, RE2::Quiet);
    if (!re->ok()) return constant(e, text(r.pattern));  // lint reports it
    Value v;
    v.kind = Kind::Regex;
    v.regex = re.get();
    prog_.retained.push_back(std::move(re));
    return constant(e, v);
  }
  NodePtr node(const ast::Expr& e, const ast::TemplateString& s) {
    std::vector<TemplateNode::Part> parts;
    bool all_constant = true;
    for (const auto& p : s.parts) {
      if (const auto* t = std::get_if<std::string>(&p)) {
        parts.emplace_back(*t);
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
    const Ref& r = checked_.ref(e);
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
      default: return constant(e, Value());  // lint reported it
    }
  }
  NodePtr node(const ast::Expr& e, const ast::CollectionRef& c) {
    const std::string full = c.full_name();
    const std::size_t index = collection_index(full);
    CollectionUse& use = prog_.collections[index];
    (c.changed ? use.changed : use.current) = true;
    return std::make_unique<CollectionNode>(e.location, full, index, c.changed);
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
    assert(!projection_slots_.empty() && "an element placeholder is inside a projection");
    return std::make_unique<LocalNode>(e.location, projection_slots_.back(), "[*]");
  }
  NodePtr node(const ast::Expr& e, const ast::Projection& p) {
    NodePtr base = expr(*p.base);
    const int slot = slot_of(e);
    projection_slots_.push_back(slot);
    NodePtr per = untraced(*p.per_element);
    projection_slots_.pop_back();
    const bool flatten = p.per_element->as<ast::Projection>() != nullptr;
    return std::make_unique<ProjectionNode>(e.location, std::move(base), slot, std::move(per), flatten);
  }
  NodePtr node(const ast::Expr& e, const ast::Call& c) {
    std::vector<NodePtr> args;
    for (const auto& a : c.args) args.push_back(expr(*a));
    const Ref& r = checked_.ref(e);
    if (r.kind == Ref::Kind::Def) {
      ensure_def(r.index);
      return std::make_unique<DefCallNode>(e.location, &prog_.defs[static_cast<std::size_t>(r.index)], std::move(args));
    }
    const lang::BuiltinSignature* b = lang::find_builtin(c.name);
    if (r.kind != Ref::Kind::Builtin || b == nullptr) return constant(e, Value());  // lint reported it
    if (b->id == lang::BuiltinId::Previous) {
      const std::string& known = checked_.previous_collections[e.id];
      if (!known.empty()) {
        prog_.collections[collection_index(known)].previous = true;
      } else {
        previous_unknown_ = true;
      }
    }
    const bool foldable =
        b->pure() && std::all_of(args.begin(), args.end(), [](const NodePtr& a) { return a->constant() != nullptr; });
    NodePtr n = std::make_unique<BuiltinNode>(e.location, *b, std::move(args));
    return foldable ? fold_now(std::move(n)) : std::move(n);
  }
  NodePtr node(const ast::Expr& e, const ast::Negate& n) {
    NodePtr o = expr(*n.operand);
    const Node* p = o.get();
    return fold(std::make_unique<UnaryNode>(e.location, UnaryOp::Negate, std::move(o)), {p});
  }
  NodePtr node(const ast::Expr& e, const ast::Not& n) {
    NodePtr o = expr(*n.operand);
    const Node* p = o.get();
    return fold(std::make_unique<UnaryNode>(e.location, UnaryOp::Not, std::move(o)), {p});
  }
  NodePtr node(const ast::Expr& e, const ast::Binary& b) {
    using A = ast::BinaryOp;
    NodePtr lhs = expr(*b.lhs);
    NodePtr rhs = expr(*b.rhs);
    const Node *l = lhs.get(), *r = rhs.get();
    if (b.op == A::And || b.op == A::Or) {
      return fold(std::make_unique<LogicNode>(e.location, b.op == A::And, std::move(lhs), std::move(rhs)), {l, r});
    }
    const Value* rc = rhs->constant();
    if (rc && lhs->constant() == nullptr) {
      if ((b.op == A::In || b.op == A::NotIn) && rc->kind == Kind::List) {
        return std::make_unique<InSetNode>(e.location, std::move(lhs), MembershipSet(*rc), b.op == A::NotIn);
      }
      if ((b.op == A::Within || b.op == A::NotWithin) && (rc->kind == Kind::List || rc->kind == Kind::String)) {
        Value list = *rc;
        if (rc->kind == Kind::String) {
          Value* one = prog_.constants->array<Value>(1);
          *one = *rc;
          list = Value::list(one, 1);
        }
        IpSet set(list);
        if (set.valid())
          return std::make_unique<WithinSetNode>(e.location, std::move(lhs), std::move(set), b.op == A::NotWithin);
      }
    }
    return fold(std::make_unique<BinaryNode>(e.location, op_of(b.op), std::move(lhs), std::move(rhs)), {l, r});
  }
  NodePtr node(const ast::Expr& e, const ast::Conditional& c) {
    NodePtr cond = expr(*c.cond);
    if (const Value* v = cond->constant(); v && !v->is_error()) {
      return v->truthy() ? expr(*c.then_expr) : expr(*c.else_expr);
    }
    return std::make_unique<ConditionalNode>(e.location, std::move(cond), expr(*c.then_expr), expr(*c.else_expr));
  }
  NodePtr node(const ast::Expr& e, const ast::Quantifier& q) {
    NodePtr source = expr(*q.source);
    NodePtr n = std::make_unique<QuantifierNode>(e.location, quantifier_of(q.kind), slot_of(e), std::move(source),
                                                 untraced(*q.cond));
    // all() is decided by an element that fails the condition: a lookup cannot skip those.
    if (q.kind == ast::QuantifierKind::All) return n;
    return planned(e, std::move(n), *q.source, q.cond.get());
  }
  NodePtr node(const ast::Expr& e, const ast::ListComp& c) {
    NodePtr source = expr(*c.source);
    NodePtr n = std::make_unique<ComprehensionNode>(e.location, slot_of(e), nullptr, untraced(*c.element),
                                                    std::move(source), c.filter ? untraced(*c.filter) : nullptr);
    return planned(e, std::move(n), *c.source, c.filter.get());
  }
  NodePtr node(const ast::Expr& e, const ast::MapComp& c) {
    NodePtr source = expr(*c.source);
    NodePtr n = std::make_unique<ComprehensionNode>(e.location, slot_of(e), untraced(*c.key), untraced(*c.value),
                                                    std::move(source), c.filter ? untraced(*c.filter) : nullptr);
    return planned(e, std::move(n), *c.source, c.filter.get());
  }
  // `scan` through a join index when the planner finds one (compile/planner.hpp).
  NodePtr planned(const ast::Expr& e, NodePtr scan, const ast::Expr& source, const ast::Expr* condition) {
    if (!options_.plan_joins) return scan;
    const std::optional<JoinPlan> plan = planner_.plan(e, source, condition);
    if (!plan) return scan;
    const TraceScope off(*this, false);
    return std::make_unique<JoinNode>(e.location, std::move(scan), expr(source), slot_of(e), expr(*plan->key),
                                      expr(*plan->probe), plan->membership, prog_.indexes++);
  }
  NodePtr node(const ast::Expr& e, const ast::Lambda& l) {
    // The body runs in a frame of the enclosing frame's size, with the captured slots
    // copied in where they were.
    return std::make_unique<LambdaNode>(e.location, slot_of(e), frame_size_, checked_.captures[e.id], untraced(*l.body),
                                        l.param);
  }

  std::size_t collection_index(const std::string& name) {
    for (std::size_t i = 0; i < prog_.collections.size(); ++i) {
      if (prog_.collections[i].name == name) return i;
    }
    prog_.collections.push_back(CollectionUse{name, false, false, false, nullptr});
    return prog_.collections.size() - 1;
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
    const int saved_frame = std::exchange(frame_size_, checked_.frame_size(c.id));
    params_.clear();
    NodePtr n = untraced(*c.value);
    if (const Value* folded = n->constant()) {
      consts_[i] = *folded;
    } else {
      const Value v = evaluate_constant(*n, frame_size_);
      if (v.is_error()) {
        out_.diagnostics.error("E0116", v.error->where->location(),
                               "constant `" + c.name + "` cannot be computed: " + std::string(v.error->message));
      } else {
        consts_[i] = v;
      }
    }
    keep_alive(std::move(n));
    params_ = saved_params;
    frame_size_ = saved_frame;
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
    cd.frame_size = checked_.frame_size(d.id);
    cd.body = global_body(*d.body, cd.frame_size);
  }

  void ensure_let(int index) {
    const auto i = static_cast<std::size_t>(index);
    if (let_done_[i]) return;
    let_done_[i] = true;
    const ast::Let& l = *checked_.lets[i];
    CompiledLet& cl = prog_.lets[i];
    cl.name = l.name;
    cl.frame_size = checked_.frame_size(l.id);
    cl.body = global_body(*l.value, cl.frame_size);
  }

  // The body of a def or top-level let, compiled from inside a policy or not: no
  // policy's params are visible there.
  NodePtr global_body(const ast::Expr& body, int frame_size) {
    const auto saved_params = std::move(params_);
    const int saved_frame = std::exchange(frame_size_, frame_size);
    params_.clear();
    NodePtr n = untraced(body);
    params_ = saved_params;
    frame_size_ = saved_frame;
    return n;
  }

 public:
  // previous() of a document whose collection lint could not tell: every collection the
  // program reads keeps the revisions current at `since`.
  void finish() {
    if (!previous_unknown_) return;
    for (CollectionUse& c : prog_.collections) c.previous = true;
  }

 private:
  const check::CheckedProgram& checked_;
  const check::ParamOverrides& overrides_;
  const CompileOptions& options_;
  CompileResult& out_;
  Program& prog_;
  JoinPlanner planner_;
  std::unique_ptr<Run> run_;
  std::unique_ptr<Worker> worker_;
  std::vector<Value> params_;
  std::vector<Value> consts_;
  std::vector<int> const_state_;  // 0 new, 1 computing, 2 done
  std::vector<bool> def_done_, let_done_;
  std::vector<int> projection_slots_;
  int frame_size_ = 1;  // of the frame being compiled: lambdas run in one as large
  bool previous_unknown_ = false;
  bool tracing_ = false;  // expr() wraps in TraceNodes (TraceScope)
};

// The fields the policies require are read even where nothing else reads them: the engine
// looks for them in the documents to tell whether the source provides them.
void require(Program& program) {
  for (const CompiledPolicy& p : program.policies) {
    for (const RequiredField& r : p.required) {
      auto use = std::find_if(program.collections.begin(), program.collections.end(),
                              [&](const CollectionUse& c) { return c.name == r.collection; });
      if (use == program.collections.end()) {
        program.collections.push_back(CollectionUse{r.collection, true, false, false, nullptr});
        continue;  // no projection: whole documents
      }
      use->current = true;
      if (!use->projection) continue;
      // Down the path as the schema shapes it: a list's elements have a projection of their own.
      model::Projection* at = use->projection.get();
      const model::Schema* s = model::find_collection(r.collection)->schema.get();
      for (const std::string& f : r.fields) {
        if (at->whole()) break;
        at = at->field(f);
        s = s ? s->field(f) : nullptr;
        for (; s && s->kind == model::Schema::Kind::List; s = s->element.get()) at = at->items();
      }
      at->set_whole();
    }
  }
}

}  // namespace

CompileResult compile(const check::CheckedProgram& checked, const std::set<std::string>* only,
                      const check::ParamOverrides* overrides, const CompileOptions& options) {
  CompileResult out;
  {
    Compiler c(checked, overrides ? *overrides : checked.overrides, options, out);
    c.all_constants();
    for (const ast::Policy* p : checked.policies) {
      if (only == nullptr || only->count(p->name)) c.policy(*p);
    }
    c.finish();
  }
  if (options.project) project(checked, only, out.program);
  require(out.program);
  return out;
}

CompileResult metadata(const check::CheckedProgram& checked, const check::ParamOverrides* overrides) {
  CompileResult out;
  const CompileOptions options;
  {
    Compiler c(checked, overrides ? *overrides : checked.overrides, options, out);
    for (const ast::Policy* p : checked.policies) {
      eval::CompiledPolicy cp;
      c.header(*p, cp);
      out.program.policies.push_back(std::move(cp));
    }
  }
  return out;
}

}  // namespace reddalert::compile
