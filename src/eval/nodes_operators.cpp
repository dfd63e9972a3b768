#include <cmath>

#include <re2/re2.h>

#include "base/ip.hpp"
#include "eval/builtins_impl.hpp"
#include "eval/nodes.hpp"

namespace reddalert::eval {

namespace {

std::string kinds(const Value& a, const Value& b) {
  return std::string(kind_name(a.kind)) + " and " + kind_name(b.kind);
}

Value ordered(Context& ctx, Op op, const Value& a, const Value& b, const Node& where) {
  if (a.is_null() || b.is_null()) return Value::of(false);
  const Kind k = a.kind;
  if (k != b.kind || (k != Kind::Number && k != Kind::String)) {
    return where.error(ctx, std::string("cannot order ") + kinds(a, b) + " with `" + spelling(op) + "`");
  }
  const int c = compare(a, b);
  switch (op) {
    case Op::Lt: return Value::of(c < 0);
    case Op::Le: return Value::of(c <= 0);
    case Op::Gt: return Value::of(c > 0);
    default: return Value::of(c >= 0);
  }
}

// `a - b` for lists: the elements of `a` not in `b`, in order.
Value difference(Context& ctx, const Value& a, const Value& b) {
  builtins::ListBuilder out(ctx, a.size);
  for (std::uint32_t i = 0; i < a.size; ++i) {
    const Value e = a.at(i);
    bool found = false;
    for (std::uint32_t k = 0; k < b.size && !found; ++k) found = equal(e, b.at(k));
    if (!found) out.push(e);
  }
  ctx.w.steps(static_cast<std::size_t>(a.size) * b.size / 16, nullptr);
  return out.finish();
}

Value arithmetic(Context& ctx, Op op, const Value& a, const Value& b, const Node& where) {
  if (a.is_null() || b.is_null()) return Value();
  const Kind ka = a.kind, kb = b.kind;
  if (op == Op::Add && ka == Kind::String && kb == Kind::String) {
    TextBuilder text(ctx);
    text.append(a);
    text.append(b);
    return text.finish();
  }
  if ((op == Op::Add || op == Op::Sub) && ka == Kind::List && kb == Kind::List) {
    if (op == Op::Sub) return difference(ctx, a, b);
    Value* items = ctx.items(a.size + b.size);
    for (std::uint32_t i = 0; i < a.size; ++i) items[i] = a.at(i);
    for (std::uint32_t i = 0; i < b.size; ++i) items[a.size + i] = b.at(i);
    return Value::list(items, a.size + b.size);
  }
  if (ka != Kind::Number || kb != Kind::Number) {
    return where.error(ctx, std::string("`") + spelling(op) + "` cannot combine " + kinds(a, b));
  }
  const double x = a.num, y = b.num;
  switch (op) {
    case Op::Add: return Value::number(x + y);
    case Op::Sub: return Value::number(x - y);
    case Op::Mul: return Value::number(x * y);
    case Op::Div:
      if (y == 0) return where.error(ctx, "division by zero");
      return Value::number(x / y);
    default:
      if (y == 0) return where.error(ctx, "division by zero");
      return Value::number(std::fmod(x, y));
  }
}

Value make_range(Context& ctx, const Value& a, const Value& b, const Node& where) {
  if (a.kind != Kind::Number || b.kind != Kind::Number)
    return where.error(ctx, "a range `a..b` needs two numbers, found " + kinds(a, b));
  Range* r = ctx.arena->array<Range>(1);
  *r = {a.num, b.num};
  Value v;
  v.kind = Kind::Range;
  v.range = r;
  return v;
}

Value negated(const Value& v, bool negate) {
  if (v.is_error() || !negate) return v;
  return Value::of(!v.boolean);
}

}  // namespace

const char* spelling(Op op) {
  switch (op) {
    case Op::Coalesce: return "??";
    case Op::Or: return "or";
    case Op::And: return "and";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::In: return "in";
    case Op::NotIn: return "not in";
    case Op::Within: return "within";
    case Op::NotWithin: return "not within";
    case Op::Matches: return "matches";
    case Op::NotMatches: return "not matches";
    case Op::Range: return "..";
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Mod: return "%";
  }
  return "?";
}

const char* spelling(Quantifier q) {
  switch (q) {
    case Quantifier::Any: return "any";
    case Quantifier::All: return "all";
    case Quantifier::None: return "none";
    case Quantifier::Count: return "count";
  }
  return "?";
}

Value kind_error(Context& ctx, const Node& where, const Value& v, Kind want, const char* what) {
  return where.error(ctx, std::string(what) + " needs a " + kind_name(want) + ", found a " + kind_name(v.kind));
}

Value op_in(Context& ctx, const Value& x, const Value& xs, const Node& where) {
  if (x.is_null()) return Value::of(false);
  switch (xs.kind) {
    case Kind::Null: return Value::of(false);
    case Kind::List: {
      const bool number = x.kind == Kind::Number;
      for (std::uint32_t i = 0; i < xs.size; ++i) {
        const Value e = xs.at(i);
        if (e.kind == Kind::Range && number) {
          if (e.range->lo <= x.num && x.num <= e.range->hi) return Value::of(true);
        } else if (equal(x, e)) {
          return Value::of(true);
        }
      }
      return Value::of(false);
    }
    case Kind::Map:
      if (x.kind != Kind::String)
        return where.error(ctx, std::string("map keys are strings; cannot look up a ") + kind_name(x.kind));
      return Value::of(xs.has(x.str()));
    case Kind::String:
      if (x.kind != Kind::String)
        return where.error(ctx, std::string("cannot look for a ") + kind_name(x.kind) + " in a string");
      return Value::of(xs.str().find(x.str()) != std::string_view::npos);
    case Kind::Range:
      if (x.kind != Kind::Number)
        return where.error(ctx, std::string("cannot look for a ") + kind_name(x.kind) + " in a range");
      return Value::of(xs.range->lo <= x.num && x.num <= xs.range->hi);
    default:
      return where.error(
          ctx, std::string("`in` needs a list, map, string or range on the right, found a ") + kind_name(xs.kind));
  }
}

Value op_within(Context& ctx, const Value& a, const Value& b, const Node& where) {
  if (a.is_null() || b.is_null()) return Value::of(false);
  if (b.kind == Kind::List) {
    // Networks: within the union of the elements (0.0.0.0/1 and 128.0.0.0/1 hold 0.0.0.0/0),
    // as WithinSetNode decides for a constant list.
    if (a.kind == Kind::String) {
      const IpSet set(b);
      if (set.valid()) {
        const auto ra = base::parse_ip_range(a.str());
        if (!ra) return where.error(ctx, "invalid IP or CIDR \"" + std::string(a.str()) + "\"");
        return Value::of(set.contains(*ra));
      }
    }
    // Else within any element; an error for one element stands only when none contains `a`.
    Value problem;
    for (std::uint32_t i = 0; i < b.size; ++i) {
      const Value r = op_within(ctx, a, b.at(i), where);
      if (r.truthy()) return r;
      if (r.is_error() && problem.is_null()) problem = r;
    }
    return problem.is_null() ? Value::of(false) : problem;
  }
  if (a.kind == Kind::Number || a.kind == Kind::Range) {
    if (b.kind != Kind::Range)
      return where.error(ctx, std::string("a number is within a range, not a ") + kind_name(b.kind));
    const Range r = a.kind == Kind::Number ? Range{a.num, a.num} : *a.range;
    return Value::of(b.range->lo <= r.lo && r.hi <= b.range->hi);
  }
  if (a.kind != Kind::String || b.kind != Kind::String) {
    return where.error(ctx, "`within` compares IPs or CIDRs (strings) or numbers and ranges, found " + kinds(a, b));
  }
  const auto ra = base::parse_ip_range(a.str());
  if (!ra) return where.error(ctx, "invalid IP or CIDR \"" + std::string(a.str()) + "\"");
  const auto rb = base::parse_ip_range(b.str());
  if (!rb) return where.error(ctx, "invalid CIDR \"" + std::string(b.str()) + "\"");
  return Value::of(rb->contains(*ra));
}

Value op_matches(Context& ctx, const Value& s, const Value& re, const Node& where) {
  if (s.is_null()) return Value::of(false);
  if (s.kind != Kind::String)
    return where.error(ctx, std::string("`matches` needs a string on the left, found a ") + kind_name(s.kind));
  const re2::StringPiece text(s.chars, s.size);
  if (re.kind == Kind::Regex) return Value::of(RE2::PartialMatch(text, *re.regex));
  if (re.kind != Kind::String)
    return where.error(ctx,
                       std::string("`matches` needs a regex or string on the right, found a ") + kind_name(re.kind));
  std::string problem;
  const RE2* compiled = ctx.run.regex(re.str(), problem);
  if (compiled == nullptr) return where.error(ctx, "invalid regular expression: " + problem);
  return Value::of(RE2::PartialMatch(text, *compiled));
}

Value UnaryNode::eval(Context& ctx) const {
  const Value v = operand_->eval(ctx);
  if (v.is_error()) return v;
  if (op_ == UnaryOp::Not) return Value::of(!v.truthy());
  if (v.is_null()) return Value();
  if (v.kind != Kind::Number) return error(ctx, std::string("cannot negate a ") + kind_name(v.kind));
  return Value::number(-v.num);
}

base::TreeDump UnaryNode::dump() const {
  base::TreeDump t = tree(op_ == UnaryOp::Not ? "not" : "negate");
  t.add(operand_->dump());
  return t;
}

Value LogicNode::eval(Context& ctx) const {
  // An operand decides when it is `true` (or) or anything but `true` and not an error (and).
  const auto decides = [&](const Value& v) { return and_ ? !v.truthy() && !v.is_error() : v.truthy(); };
  const Value a = lhs_->eval(ctx);
  if (decides(a)) return Value::of(!and_);
  const Value b = rhs_->eval(ctx);
  if (decides(b)) return Value::of(!and_);
  if (a.is_error()) return a;
  if (b.is_error()) return b;
  return Value::of(and_);
}

base::TreeDump LogicNode::dump() const {
  base::TreeDump t = tree("binary", and_ ? "and" : "or");
  t.add(lhs_->dump());
  t.add(rhs_->dump());
  return t;
}

Value BinaryNode::eval(Context& ctx) const {
  const Value a = lhs_->eval(ctx);
  if (a.is_error()) return a;
  if (op_ == Op::Coalesce) return a.is_null() ? rhs_->eval(ctx) : a;
  const Value b = rhs_->eval(ctx);
  if (b.is_error()) return b;
  switch (op_) {
    case Op::Eq: return Value::of(equal(a, b));
    case Op::Ne: return Value::of(!equal(a, b));
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: return ordered(ctx, op_, a, b, *this);
    case Op::In: return op_in(ctx, a, b, *this);
    case Op::NotIn: return negated(op_in(ctx, a, b, *this), true);
    case Op::Within: return op_within(ctx, a, b, *this);
    case Op::NotWithin: return negated(op_within(ctx, a, b, *this), true);
    case Op::Matches: return op_matches(ctx, a, b, *this);
    case Op::NotMatches: return negated(op_matches(ctx, a, b, *this), true);
    case Op::Range: return make_range(ctx, a, b, *this);
    default: return arithmetic(ctx, op_, a, b, *this);
  }
}

base::TreeDump BinaryNode::dump() const {
  base::TreeDump t = tree("binary", spelling(op_));
  t.add(lhs_->dump());
  t.add(rhs_->dump());
  return t;
}

Value InSetNode::eval(Context& ctx) const {
  const Value x = lhs_->eval(ctx);
  if (x.is_error()) return x;
  return Value::of(set_.contains(x) != negated_);
}

base::TreeDump InSetNode::dump() const {
  base::TreeDump t = tree(negated_ ? "not-in-set" : "in-set", set_.describe());
  t.add(lhs_->dump());
  return t;
}

Value WithinSetNode::eval(Context& ctx) const {
  const Value x = lhs_->eval(ctx);
  if (x.is_error()) return x;
  if (x.is_null()) return Value::of(negated_);
  if (x.kind != Kind::String)
    return error(ctx, std::string("`within` needs an IP or CIDR string, found a ") + kind_name(x.kind));
  const auto r = base::parse_ip_range(x.str());
  if (!r) return error(ctx, "invalid IP or CIDR \"" + std::string(x.str()) + "\"");
  return Value::of(set_.contains(*r) != negated_);
}

base::TreeDump WithinSetNode::dump() const {
  base::TreeDump t = tree(negated_ ? "not-within-set" : "within-set", set_.describe());
  t.add(lhs_->dump());
  return t;
}

Value ConditionalNode::eval(Context& ctx) const {
  const Value c = cond_->eval(ctx);
  if (c.is_error()) return c;
  return c.truthy() ? then_->eval(ctx) : else_->eval(ctx);
}

base::TreeDump ConditionalNode::dump() const {
  base::TreeDump t = tree("if");
  t.add(cond_->dump());
  t.add(then_->dump());
  t.add(else_->dump());
  return t;
}

}  // namespace reddalert::eval
