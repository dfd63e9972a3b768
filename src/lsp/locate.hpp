// Which node of a parsed module is at a byte offset: the one lookup every position-based
// feature (hover, definition, references, completion) starts from, written from the AST's
// node locations. A location covers one token (a name, an operator, a literal), so the
// node found is the one whose token the offset touches (its end included: the cursor just
// after a name is on it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

#include "ast/ast.hpp"

namespace reddalert::lsp {

struct Hit {
  enum class Kind {
    None,
    Expr,    // `expr`: a Name, a Call (by its name), a CollectionRef, a literal, an operator
    Field,   // `expr` is the Field whose name is under the offset
    Binder,  // a local's binding: a `for`/`let` clause, a quantifier, comprehension or lambda
             // variable, a def's parameter
    Const,   // the name of a declaration: `decl` points at the ast node
    Def,
    Let,
    Param,
    Policy,
    Import,  // `decl` is the ast::Import
  } kind = Kind::None;
  const ast::Expr* expr = nullptr;
  const void* decl = nullptr;
  base::Location location;  // the token under the offset
  std::string name;         // of a binder or declaration
};

// The top-level item an offset is in (the last one starting at or before it).
struct Enclosing {
  const ast::Policy* policy = nullptr;
  const ast::Def* def = nullptr;
  const ast::Const* constant = nullptr;
  const ast::Let* let = nullptr;
};

// The byte range [begin, end) of a location's token in its file.
std::pair<std::size_t, std::size_t> byte_span(const base::Location& location);

Hit locate(const ast::Module& module, std::size_t offset);
Enclosing enclosing(const ast::Module& module, std::size_t offset);

// Every expression of the module, parents before children.
void for_each_expr(const ast::Module& module, const std::function<void(const ast::Expr&)>& f);
// Every expression below (and including) `root`.
void for_each_expr(const ast::Expr& root, const std::function<void(const ast::Expr&)>& f);
// The last line a policy's items (or an expression's nodes) reach.
std::uint32_t last_line(const ast::Policy& policy);
std::uint32_t last_line(const ast::Expr& expr);

}  // namespace reddalert::lsp
