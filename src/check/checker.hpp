// Internal to check/: the checker class, split over checker.cpp (declarations, scopes,
// policies, recursion) and infer.cpp (expressions: names, types, schemas).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "check/check.hpp"
#include "check/types.hpp"
#include "lang/builtins.hpp"

namespace reddalert::check::detail {

using TK = Type::Kind;
using base::Location;

struct Global {
  enum class Kind { Const, Def, Let } kind;
  int index;
  Location location;
  const ast::Expr* value;  // const or let value, def body
  const ast::Def* def = nullptr;
  std::size_t module = 0;  // the file that declares it
};

struct Local {
  std::string name;
  int slot;
  Location location;
  Type type;
  bool used = false;
  bool warn_unused = false;
};

class Checker {
 public:
  Checker(const Workspace& ws, CheckResult& out) : ws_(ws), out_(out), diags_(out.diagnostics) {}

  void run();

 private:
  // ---- globals -------------------------------------------------------------------------
  void collect_globals();
  void declare(std::size_t m, const std::string& name, Global g);
  void duplicate(const std::string& name, const Location& here, const Location& first);
  void check_policy_names();
  // An import that brings a name the file declares, or one another import brings (E0105,
  // at the `import`: that is the line to change).
  void check_import_clashes(std::size_t m);

  // ---- frames and locals ---------------------------------------------------------------
  static constexpr ast::NodeId kNoBinder = static_cast<ast::NodeId>(-1);
  void begin_frame(ast::NodeId owner);
  void end_frame();
  void push_scope() { locals_.emplace_back(); }
  void pop_scope();
  void warn_unused(const std::vector<Local>& scope);
  // Binds `name` to the next slot of the frame; `binder` (kNoBinder: none) records it.
  int bind(ast::NodeId binder, const std::string& name, const Location& loc, Type type, bool warn_unused = false);

  // ---- declarations --------------------------------------------------------------------
  void check_const(const ast::Const& c);
  void check_def(const ast::Def& d);
  void check_let(const ast::Let& l);
  void check_policy(const ast::Policy& p);
  void check_meta(const ast::Policy& p);
  void check_url(const std::string& key, const std::string& url, const Location& at);
  void check_controls(const ast::Expr& v);
  void check_requires(const ast::Expr& v);
  void check_override(const ast::Policy& p, const ast::Param& prm, const Type& t);
  // W0208: a `where` made only of literals and constants; its value is the compiler's.
  void check_constant_where(const ast::Clause& c);
  bool constant_expression(const ast::Expr& e) const;

  // ---- unused declarations (W0205, W0206, W0207) and shadowed builtins (W0209) ---------
  void warn_unused_params();
  void warn_unused_imports();
  void warn_unused_globals();
  std::size_t module_of(ast::NodeId id) const;

  // ---- expressions ---------------------------------------------------------------------
  void mismatch(const Location& loc, std::string message, std::string hint = {});
  std::vector<std::string> visible_names() const;
  const Global* find_global(const std::string& name) const;
  // Where a name unknown here is declared in a loaded file this one does not import: "`x`
  // is defined in lib/a.policy; import it", or empty.
  std::string declared_elsewhere(const std::string& name, bool functions) const;
  std::string function_hint(const std::string& name) const;
  void unknown_function(const ast::Call& c);
  // The type a def's body has whatever its arguments (unknown when it depends on them); a
  // def not checked yet is checked now, so the order of declarations does not matter.
  Type def_result(const Global& g);
  void check_arguments(const lang::BuiltinSignature& b, const ast::Call& c, const std::vector<Type>& args);
  Type resolve_name(const ast::Expr& e, const std::string& name);
  const lang::BuiltinSignature* find_builtin(const std::string& name) const { return lang::find_builtin(name); }

  // Types of constant expressions are inferred without side tables (they may be visited twice).
  Type const_type(const ast::Expr& e);
  Type infer(const ast::Expr& e);
  Type infer_node(const ast::Expr&, const ast::NullLit&) { return Type::of(TK::Null); }
  Type infer_node(const ast::Expr&, const ast::BoolLit&) { return Type::of(TK::Bool); }
  Type infer_node(const ast::Expr&, const ast::NumberLit&) { return Type::of(TK::Number); }
  Type infer_node(const ast::Expr&, const ast::DurationLit&) { return Type::of(TK::Number); }
  Type infer_node(const ast::Expr&, const ast::RawString&) { return Type::of(TK::String); }
  Type infer_node(const ast::Expr&, const ast::TemplateString& s);
  Type infer_node(const ast::Expr& e, const ast::RegexLit& r);
  Type infer_node(const ast::Expr&, const ast::ListLit& l);
  Type infer_node(const ast::Expr&, const ast::MapLit& m);
  Type infer_node(const ast::Expr& e, const ast::Name& n) { return resolve_name(e, n.name); }
  Type infer_node(const ast::Expr& e, const ast::CollectionRef& c);
  Type infer_node(const ast::Expr&, const ast::Field& f);
  Type infer_node(const ast::Expr&, const ast::Index& i);
  Type infer_node(const ast::Expr&, const ast::Elem&) { return elem_type_; }
  Type infer_node(const ast::Expr& e, const ast::Projection& p);
  Type infer_node(const ast::Expr& e, const ast::Call& c);
  Type infer_node(const ast::Expr& e, const ast::Negate& n);
  Type infer_node(const ast::Expr&, const ast::Not& n);
  static bool scalar(TK k) { return k == TK::Number || k == TK::String || k == TK::Bool; }
  Type infer_node(const ast::Expr& e, const ast::Binary& b);
  // Literal CIDRs are validated at lint time.
  void check_cidr_constants(const ast::Expr& rhs);
  static bool eval_cidr_ok(const std::string& s);
  Type infer_node(const ast::Expr&, const ast::Conditional& c);
  Type iterate(const ast::Expr& source);
  Type infer_node(const ast::Expr& e, const ast::Quantifier& q);
  Type infer_node(const ast::Expr& e, const ast::ListComp& c);
  Type infer_node(const ast::Expr& e, const ast::MapComp& c);
  Type infer_node(const ast::Expr& e, const ast::Lambda& l);

  // ---- recursion and first_seen() -------------------------------------------------------
  // False (with E0123) when globals depend on each other in a chain longer than
  // kMaxGlobalDepth: what walks them recursively (the recursion check, the compiler) is
  // then not run.
  bool check_global_depth();
  static constexpr std::size_t kMaxGlobalDepth = 64;
  void check_recursion();
  void check_first_seen();
  // The lets that `let` reads directly or through the defs it calls (transitively).
  std::set<int> let_dependencies(const ast::Let* let) const;
  int index_of_let(const ast::Let* l) const;

 public:
  ParamOverrides overrides_;

 private:
  const Workspace& ws_;
  CheckResult& out_;
  base::Diagnostics& diags_;
  std::vector<std::map<std::string, Global>> scopes_;
  std::size_t module_ = 0;
  std::vector<std::vector<Local>> locals_;
  ast::NodeId frame_owner_ = kNoBinder;
  // The lambdas being checked: each one's id and the index in locals_ of its own scope.
  std::vector<std::pair<ast::NodeId, std::size_t>> lambdas_;
  int next_slot_ = 0;
  const ast::Policy* policy_ = nullptr;
  const ast::Def* current_def_ = nullptr;
  const ast::Let* current_let_ = nullptr;
  bool in_const_ = false;
  Type elem_type_;
  std::map<const ast::Def*, std::optional<Type>> def_types_;  // nullopt: being checked
  std::set<const ast::Param*> params_used_;
  std::map<const ast::Def*, std::set<const ast::Def*>> def_edges_;
  std::map<const ast::Let*, std::set<int>> let_edges_;                // let -> lets it reads
  std::map<const ast::Let*, std::set<const ast::Def*>> let_calls_;    // let -> defs it calls
  std::map<const ast::Def*, std::set<int>> def_reads_;                // def -> lets it reads
  std::map<const ast::Def*, Location> def_first_seen_;                // def -> a first_seen() call in it
  std::vector<std::pair<const ast::Let*, Location>> let_first_seen_;  // first_seen() calls in top-level lets
};

}  // namespace reddalert::check::detail
