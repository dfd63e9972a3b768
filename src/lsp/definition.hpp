// textDocument/definition and textDocument/references: what a name under the cursor
// refers to, through the checker's side tables (refs, binders), never by name lookup of
// our own.
#pragma once

#include <cstddef>
#include <optional>

#include <nlohmann/json.hpp>

#include "lsp/analysis.hpp"
#include "lsp/locate.hpp"

namespace reddalert::lsp {

// A declared thing: a const, def or let (the ast node), a policy's param (the ast::Param),
// or a local (where its binder is).
struct Symbol {
  enum class Kind { Const, Def, Let, Param, Local } kind;
  const void* decl = nullptr;           // Const, Def, Let, Param
  base::Location binder;                // Local
  const ast::Policy* policy = nullptr;  // Param: its policy

  base::Location location() const;
  bool operator==(const Symbol& other) const;
};

// What the hit names, when it names a declared thing.
std::optional<Symbol> symbol_of(const Analysis& a, const Hit& hit, std::size_t offset);
// The Symbol a Name or Call expression refers to.
std::optional<Symbol> symbol_of(const Analysis& a, const ast::Expr& e, const ast::Policy* policy);

// A Location (null) or, for an import path, the imported file.
nlohmann::json definition(const Analysis& a, std::size_t offset);
// Every use of the symbol under the cursor in the files loaded with the document (the
// document and what it imports), and its declaration when `include_declaration`.
nlohmann::json references(const Analysis& a, std::size_t offset, bool include_declaration);

// {"uri", "range"} of a location.
nlohmann::json location_json(const base::Location& at);

}  // namespace reddalert::lsp
