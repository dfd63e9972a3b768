#include "ast/ast.hpp"

namespace reddalert::ast {

const char* spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::Coalesce: return "??";
    case BinaryOp::Or: return "or";
    case BinaryOp::And: return "and";
    case BinaryOp::Eq: return "==";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::In: return "in";
    case BinaryOp::NotIn: return "not in";
    case BinaryOp::Within: return "within";
    case BinaryOp::NotWithin: return "not within";
    case BinaryOp::Matches: return "matches";
    case BinaryOp::NotMatches: return "not matches";
    case BinaryOp::Range: return "..";
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
    case BinaryOp::Mod: return "%";
  }
  return "?";
}

const char* spelling(CollectionKind kind) {
  switch (kind) {
    case CollectionKind::Aws: return "aws";
    case CollectionKind::View: return "view";
    case CollectionKind::Group: return "group";
  }
  return "?";
}

const char* spelling(QuantifierKind kind) {
  switch (kind) {
    case QuantifierKind::Any: return "any";
    case QuantifierKind::All: return "all";
    case QuantifierKind::None: return "none";
    case QuantifierKind::Count: return "count";
  }
  return "?";
}

std::string CollectionRef::full_name() const { return std::string(spelling(kind)) + "." + name; }

}  // namespace reddalert::ast
