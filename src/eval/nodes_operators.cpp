#include <cmath>

#include <re2/re2.h>

#include "eval/network.hpp"
#include "eval/nodes.hpp"

namespace reddalert::eval {

namespace {

using ast::BinaryOp;

std::string kinds(const Value& a, const Value& b) {
  return std::string(kind_name(a.kind())) + " and " + kind_name(b.kind());
}

bool ordered(BinaryOp op, const Value& a, const Value& b, const Node& where) {
  if (a.is_null() || b.is_null()) return false;
  const Kind k = a.kind();
  if (k != b.kind() || (k != Kind::Number && k != Kind::String)) {
    where.fail(std::string("cannot order ") + kinds(a, b) + " with `" + ast::spelling(op) + "`");
  }
  const int c = compare(a, b);
  switch (op) {
    case BinaryOp::Lt: return c < 0;
    case BinaryOp::Le: return c <= 0;
    case BinaryOp::Gt: return c > 0;
    default: return c >= 0;
  }
}

Value arithmetic(BinaryOp op, const Value& a, const Value& b, const Node& where) {
  if (a.is_null() || b.is_null()) return Value();
  const Kind ka = a.kind(), kb = b.kind();
  if (op == BinaryOp::Add && ka == Kind::String && kb == Kind::String) {
    std::string s(a.as_string());
    s += b.as_string();
    return Value(std::move(s));
  }
  if ((op == BinaryOp::Add || op == BinaryOp::Sub) && ka == Kind::List && kb == Kind::List) {
    List out;
    if (op == BinaryOp::Add) {
      a.for_each_element([&](const Value& e) { out.push_back(e); });
      b.for_each_element([&](const Value& e) { out.push_back(e); });
    } else {
      a.for_each_element([&](const Value& e) {
        bool found = false;
        b.for_each_element([&](const Value& x) { found = found || equal(e, x); });
        if (!found) out.push_back(e);
      });
    }
    return Value(std::move(out));
  }
  if (ka != Kind::Number || kb != Kind::Number) {
    where.fail(std::string("`") + ast::spelling(op) + "` cannot combine " + kinds(a, b));
  }
  const double x = a.as_number(), y = b.as_number();
  switch (op) {
    case BinaryOp::Add: return Value(x + y);
    case BinaryOp::Sub: return Value(x - y);
    case BinaryOp::Mul: return Value(x * y);
    case BinaryOp::Div:
      if (y == 0) where.fail("division by zero");
      return Value(x / y);
    default:
      if (y == 0) where.fail("division by zero");
      return Value(std::fmod(x, y));
  }
}

Value make_range(const Value& a, const Value& b, const Node& where) {
  if (a.kind() != Kind::Number || b.kind() != Kind::Number)
    where.fail("a range `a..b` needs two numbers, found " + kinds(a, b));
  return Value(Range{a.as_number(), b.as_number()});
}

}  // namespace

bool op_in(const Value& x, const Value& xs, const Node& where) {
  if (x.is_null()) return false;
  switch (xs.kind()) {
    case Kind::Null: return false;
    case Kind::List: {
      bool found = false;
      xs.for_each_element([&](const Value& e) {
        if (found) return;
        if (e.kind() == Kind::Range && x.kind() == Kind::Number) {
          found = e.range().lo <= x.as_number() && x.as_number() <= e.range().hi;
        } else {
          found = equal(x, e);
        }
      });
      return found;
    }
    case Kind::Map:
      if (x.kind() != Kind::String)
        where.fail(std::string("map keys are strings; cannot look up a ") + kind_name(x.kind()));
      return xs.has(x.as_string());
    case Kind::String:
      if (x.kind() != Kind::String)
        where.fail(std::string("cannot look for a ") + kind_name(x.kind()) + " in a string");
      return xs.as_string().find(x.as_string()) != std::string_view::npos;
    case Kind::Range:
      if (x.kind() != Kind::Number) where.fail(std::string("cannot look for a ") + kind_name(x.kind()) + " in a range");
      return xs.range().lo <= x.as_number() && x.as_number() <= xs.range().hi;
    default:
      where.fail(std::string("`in` needs a list, map, string or range on the right, found a ") + kind_name(xs.kind()));
  }
}

bool op_within(const Value& a, const Value& b, const Node& where) {
  if (a.is_null() || b.is_null()) return false;
  if (b.kind() == Kind::List) {
    bool found = false;
    b.for_each_element([&](const Value& e) { found = found || op_within(a, e, where); });
    return found;
  }
  if (a.kind() == Kind::Number || a.kind() == Kind::Range) {
    if (b.kind() != Kind::Range) where.fail(std::string("a number is within a range, not a ") + kind_name(b.kind()));
    const Range r = a.kind() == Kind::Number ? Range{a.as_number(), a.as_number()} : a.range();
    return b.range().lo <= r.lo && r.hi <= b.range().hi;
  }
  if (a.kind() != Kind::String || b.kind() != Kind::String) {
    where.fail("`within` compares IPs or CIDRs (strings) or numbers and ranges, found " + kinds(a, b));
  }
  const auto ra = parse_ip_range(a.as_string());
  if (!ra) where.fail("invalid IP or CIDR \"" + std::string(a.as_string()) + "\"");
  const auto rb = parse_ip_range(b.as_string());
  if (!rb) where.fail("invalid CIDR \"" + std::string(b.as_string()) + "\"");
  return rb->contains(*ra);
}

bool op_matches(const Value& s, const Value& re, const Node& where) {
  if (s.is_null()) return false;
  if (s.kind() != Kind::String)
    where.fail(std::string("`matches` needs a string on the left, found a ") + kind_name(s.kind()));
  if (re.kind() == Kind::Regex) return RE2::PartialMatch(s.as_string(), re.regex());
  if (re.kind() != Kind::String)
    where.fail(std::string("`matches` needs a regex or string on the right, found a ") + kind_name(re.kind()));
  const RE2 compiled(re.as_string(), RE2::Quiet);
  if (!compiled.ok()) where.fail("invalid regular expression: " + compiled.error());
  return RE2::PartialMatch(s.as_string(), compiled);
}

Value UnaryNode::eval(Context& ctx) const {
  const Value v = operand_->eval(ctx);
  if (op_ == Op::Not) return Value(!v.truthy());
  if (v.is_null()) return Value();
  if (v.kind() != Kind::Number) fail(std::string("cannot negate a ") + kind_name(v.kind()));
  return Value(-v.as_number());
}

ast::TreeDump UnaryNode::dump() const {
  ast::TreeDump t = tree(op_ == Op::Not ? "not" : "negate");
  t.add(operand_->dump());
  return t;
}

Value BinaryNode::eval(Context& ctx) const {
  switch (op_) {
    case BinaryOp::Coalesce: {
      Value a = lhs_->eval(ctx);
      return a.is_null() ? rhs_->eval(ctx) : a;
    }
    case BinaryOp::Or: return Value(lhs_->eval(ctx).truthy() || rhs_->eval(ctx).truthy());
    case BinaryOp::And: return Value(lhs_->eval(ctx).truthy() && rhs_->eval(ctx).truthy());
    default: break;
  }
  const Value a = lhs_->eval(ctx);
  const Value b = rhs_->eval(ctx);
  switch (op_) {
    case BinaryOp::Eq: return Value(equal(a, b));
    case BinaryOp::Ne: return Value(!equal(a, b));
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge: return Value(ordered(op_, a, b, *this));
    case BinaryOp::In: return Value(op_in(a, b, *this));
    case BinaryOp::NotIn: return Value(!op_in(a, b, *this));
    case BinaryOp::Within: return Value(op_within(a, b, *this));
    case BinaryOp::NotWithin: return Value(!op_within(a, b, *this));
    case BinaryOp::Matches: return Value(op_matches(a, b, *this));
    case BinaryOp::NotMatches: return Value(!op_matches(a, b, *this));
    case BinaryOp::Range: return make_range(a, b, *this);
    default: return arithmetic(op_, a, b, *this);
  }
}

ast::TreeDump BinaryNode::dump() const {
  ast::TreeDump t = tree("binary", ast::spelling(op_));
  t.add(lhs_->dump());
  t.add(rhs_->dump());
  return t;
}

Value InSetNode::eval(Context& ctx) const {
  const Value x = lhs_->eval(ctx);
  return Value(set_.contains(x) != negated_);
}

ast::TreeDump InSetNode::dump() const {
  ast::TreeDump t = tree(negated_ ? "not-in-set" : "in-set", set_.describe());
  t.add(lhs_->dump());
  return t;
}

Value WithinSetNode::eval(Context& ctx) const {
  const Value x = lhs_->eval(ctx);
  if (x.is_null()) return Value(negated_);
  if (x.kind() != Kind::String)
    fail(std::string("`within` needs an IP or CIDR string, found a ") + kind_name(x.kind()));
  const auto r = parse_ip_range(x.as_string());
  if (!r) fail("invalid IP or CIDR \"" + std::string(x.as_string()) + "\"");
  return Value(set_.contains(*r) != negated_);
}

ast::TreeDump WithinSetNode::dump() const {
  ast::TreeDump t = tree(negated_ ? "not-within-set" : "within-set", set_.describe());
  t.add(lhs_->dump());
  return t;
}

Value ConditionalNode::eval(Context& ctx) const {
  return cond_->eval(ctx).truthy() ? then_->eval(ctx) : else_->eval(ctx);
}

ast::TreeDump ConditionalNode::dump() const {
  ast::TreeDump t = tree("if");
  t.add(cond_->dump());
  t.add(then_->dump());
  t.add(else_->dump());
  return t;
}

}  // namespace reddalert::eval
