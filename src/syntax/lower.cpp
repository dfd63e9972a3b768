// Lowering of the PEGTL parse tree into the AST, one small function per construct.
#include <algorithm>
#include <charconv>
#include <string>

#include "base/text.hpp"
#include "syntax/parse.hpp"
#include "syntax/tree.hpp"

namespace reddalert::syntax {

namespace {

using namespace reddalert::ast;

class Lowerer {
 public:
  Lowerer(base::SourcePtr file, NodeId first_id, base::Diagnostics& diags)
      : file_(std::move(file)), diags_(diags), first_id_(first_id), next_id_(first_id) {}

  NodeId next_id() { return next_id_++; }

  // Every expression made here gets the next id, and its height is checked: the node that
  // passes kMaxNesting is reported at `at` (its own location by default) and made a null
  // in place of its operands, so that no deeper tree is ever built.
  template <typename T>
  ExprPtr make(Location l, T node, const Location* at = nullptr) {
    ExprPtr e = ast::make(std::move(l), std::move(node));
    e->id = next_id();
    int height = 1;
    ast::for_each_child(*e, [&](const Expr& c) { height = std::max(height, 1 + height_of(c)); });
    if (height > kMaxNesting) {
      if (!too_deep_) diags_.add(syntax::too_deep(at ? *at : e->location));
      too_deep_ = true;
      e->node = NullLit{};
      height = 1;
    }
    set_height(e->id, height);
    return e;
  }

  bool overflowed() const { return too_deep_; }

  Location loc(const Node& n) const {
    const auto pos = n.begin();
    std::size_t length = 1;
    if (n.has_content()) {
      std::string_view s = n.string_view();
      const std::size_t eol = s.find('\n');
      if (eol != std::string_view::npos) s = s.substr(0, eol);
      while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
      // A trailing comment belongs to whitespace folded into the token.
      if (const std::size_t hash = s.find(" #"); hash != std::string_view::npos && !n.is_type<g::template_string>()) {
        s = s.substr(0, hash);
        while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      }
      length = std::max<std::size_t>(1, s.size());
    }
    return base::location_at(file_, pos.byte, length);  // PEGTL's columns count bytes
  }

  static std::string text(const Node& n) { return n.has_content() ? n.string() : std::string(); }

  ExprPtr expr(const Node& n) {
    const Location l = loc(n);
    if (n.is_type<g::number_text>()) {
      double v = 0;
      const std::string t = text(n);
      std::from_chars(t.data(), t.data() + t.size(), v);
      return make(l, NumberLit{v, t});
    }
    if (n.is_type<g::duration_text>()) {
      const std::string t = text(n);
      std::size_t i = 0;
      while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
      double v = 0;
      std::from_chars(t.data(), t.data() + i, v);
      const std::string unit = t.substr(i);
      const double scale = unit == "ms" ? 1 : unit == "s" ? 1e3 : unit == "m" ? 6e4 : unit == "h" ? 3.6e6 : 8.64e7;
      return make(l, DurationLit{v * scale, t});
    }
    if (n.is_type<g::lit_null>()) return make(l, NullLit{});
    if (n.is_type<g::lit_true>()) return make(l, BoolLit{true});
    if (n.is_type<g::lit_false>()) return make(l, BoolLit{false});
    if (n.is_type<g::template_string>()) return template_string(n);
    if (n.is_type<g::raw_string>()) return make(l, RawString{text(*n.children.at(0))});
    if (n.is_type<g::regex>()) return regex(n);
    if (n.is_type<g::list_expr>()) return list(n);
    if (n.is_type<g::map_expr>()) return map(n);
    if (n.is_type<g::collection>()) return collection(n);
    if (n.is_type<g::quantifier>()) return quantifier(n);
    if (n.is_type<g::call>()) return call(n);
    if (n.is_type<g::identifier>()) return make(l, Name{text(n)});
    if (n.is_type<g::paren>()) return expr(*n.children.at(0));
    if (n.is_type<g::postfix>()) return postfix(n, 0, expr(*n.children.at(0)));
    if (n.is_type<g::negate>()) return make(l, Negate{expr(*n.children.at(0))});
    if (n.is_type<g::negation>()) return make(l, Not{expr(*n.children.at(0))});
    if (n.is_type<g::conditional>()) {
      return make(l, Conditional{expr(*n.children.at(0)), expr(*n.children.at(1)), expr(*n.children.at(2))});
    }
    if (n.is_type<g::lambda>()) {
      return make(l, Lambda{text(*n.children.at(0)), loc(*n.children.at(0)), expr(*n.children.at(1))});
    }
    if (n.is_type<g::and_expr>()) return chain(n, BinaryOp::And);
    if (n.is_type<g::or_expr>()) return chain(n, BinaryOp::Or);
    if (n.is_type<g::coalesce>()) return chain(n, BinaryOp::Coalesce);
    if (n.is_type<g::multiplicative>() || n.is_type<g::additive>() || n.is_type<g::range_expr>() ||
        n.is_type<g::matching>() || n.is_type<g::containment>() || n.is_type<g::membership>() ||
        n.is_type<g::comparison>()) {
      return operators(n);
    }
    diags_.error("E0001", l, "internal: unexpected syntax node " + std::string(n.type));
    return make(l, NullLit{});
  }

  // Operands separated by operator nodes, folded to the left.
  ExprPtr operators(const Node& n) {
    ExprPtr acc = expr(*n.children.at(0));
    for (std::size_t i = 1; i + 1 < n.children.size(); i += 2) {
      const Node& op = *n.children[i];
      ExprPtr rhs = expr(*n.children[i + 1]);
      Location l = loc(op);
      acc = make(l, Binary{binary_op(op), std::move(acc), std::move(rhs), l});
    }
    return acc;
  }

  // operand (operator operand)*; the parse tree keeps `??` but not the words `and` and `or`,
  // which are the first text after the operand before them.
  ExprPtr chain(const Node& n, BinaryOp op) {
    ExprPtr acc = expr(*n.children.at(0));
    const Node* before = n.children.at(0).get();
    for (std::size_t i = 1; i < n.children.size(); ++i) {
      if (n.children[i]->is_type<g::op_coalesce>()) continue;
      const Node& operand = *n.children[i];
      const Location op_at =
          op == BinaryOp::Coalesce ? loc(*n.children[i - 1]) : word_after(*before, ast::spelling(op));
      before = &operand;
      ExprPtr rhs = expr(operand);
      Location l = acc->location;
      const Location at = rhs->location;
      acc = make(l, Binary{op, std::move(acc), std::move(rhs), op_at}, &at);
    }
    return acc;
  }

  // Where node `n`'s text ends: a node folded from several children keeps no content, and
  // ends where its last one does.
  static std::size_t end_of(const Node& n) {
    if (n.has_content()) return n.end().byte;
    return n.children.empty() ? n.begin().byte : end_of(*n.children.back());
  }

  // Where `word` starts after node `n`: past white space and comments.
  Location word_after(const Node& n, std::string_view word) const {
    const std::string_view text = file_->text();
    std::size_t i = end_of(n);
    while (i < text.size()) {
      if (text[i] == '#') {
        while (i < text.size() && text[i] != '\n') ++i;
      } else if (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n') {
        ++i;
      } else {
        break;
      }
    }
    return base::location_at(file_, i, word.size());
  }

  static BinaryOp binary_op(const Node& op) {
    if (op.is_type<g::op_range>()) return BinaryOp::Range;
    if (op.is_type<g::op_matches>()) return BinaryOp::Matches;
    if (op.is_type<g::op_not_matches>()) return BinaryOp::NotMatches;
    if (op.is_type<g::op_within>()) return BinaryOp::Within;
    if (op.is_type<g::op_not_within>()) return BinaryOp::NotWithin;
    if (op.is_type<g::op_in>()) return BinaryOp::In;
    if (op.is_type<g::op_not_in>()) return BinaryOp::NotIn;
    std::string t = text(op);
    while (!t.empty() && (std::isspace(static_cast<unsigned char>(t.back())) || t.back() == '#')) t.pop_back();
    t = t.substr(0, t.find_first_of(" \t\r\n#"));
    if (t == "*") return BinaryOp::Mul;
    if (t == "/") return BinaryOp::Div;
    if (t == "%") return BinaryOp::Mod;
    if (t == "+") return BinaryOp::Add;
    if (t == "-") return BinaryOp::Sub;
    if (t == "==") return BinaryOp::Eq;
    if (t == "!=") return BinaryOp::Ne;
    if (t == "<=") return BinaryOp::Le;
    if (t == ">=") return BinaryOp::Ge;
    if (t == "<") return BinaryOp::Lt;
    return BinaryOp::Gt;
  }

  // Applies postfix operators children[first..] to `base`; `[*]` turns the rest of the
  // chain into a per-element expression.
  ExprPtr postfix(const Node& n, std::size_t first, ExprPtr base) {
    // Each step is a level of the tree, and each `[*]` a recursion here: refuse a longer
    // chain before walking it.
    if (first == 0 && n.children.size() > static_cast<std::size_t>(kMaxNesting)) {
      if (!too_deep_) diags_.add(syntax::too_deep(loc(*n.children[kMaxNesting])));
      too_deep_ = true;
      return base;
    }
    for (std::size_t i = first == 0 ? 1 : first; i < n.children.size(); ++i) {
      const Node& op = *n.children[i];
      const Location l = loc(op);
      if (op.is_type<g::field_access>()) {
        const Node& f = *op.children.at(0);
        base = make(l, Field{std::move(base), text(f), loc(f)});
      } else if (op.is_type<g::index_access>()) {
        base = make(l, Index{std::move(base), expr(*op.children.at(0))});
      } else {  // projection
        ExprPtr per_element = postfix(n, i + 1, make(l, Elem{}));
        return make(l, Projection{std::move(base), std::move(per_element)});
      }
    }
    return base;
  }

  ExprPtr template_string(const Node& n) {
    TemplateString s;
    std::string pending;
    for (const auto& c : n.children) {
      if (c->is_type<g::string_chars>()) {
        pending += text(*c);
      } else if (c->is_type<g::escape>()) {
        const char e = text(*c).at(1);
        pending += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      } else {
        if (!pending.empty()) s.parts.emplace_back(std::move(pending));
        pending.clear();
        s.parts.emplace_back(expr(*c->children.at(0)));
      }
    }
    if (!pending.empty() || s.parts.empty()) s.parts.emplace_back(std::move(pending));
    return make(loc(n), std::move(s));
  }

  ExprPtr regex(const Node& n) {
    std::string raw = text(*n.children.at(0)), pattern;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == '/') continue;  // `\/` is `/`
      pattern += raw[i];
    }
    return make(loc(n), RegexLit{pattern});
  }

  struct Tail {
    std::string var;
    Location var_location;
    ExprPtr source;
    ExprPtr filter;
  };

  Tail comp_tail(const Node& t) {
    Tail tail{text(*t.children.at(0)), loc(*t.children.at(0)), expr(*t.children.at(1)), nullptr};
    if (t.children.size() > 2) tail.filter = expr(*t.children[2]->children.at(0));
    return tail;
  }

  ExprPtr list(const Node& n) {
    const Location l = loc(n);
    if (!n.children.empty() && n.children.back()->is_type<g::comp_tail>()) {
      Tail t = comp_tail(*n.children.back());
      return make(l,
                  ListComp{expr(*n.children.at(0)), t.var, t.var_location, std::move(t.source), std::move(t.filter)});
    }
    ListLit lit;
    for (const auto& c : n.children) lit.items.push_back(expr(*c));
    return make(l, std::move(lit));
  }

  ExprPtr map(const Node& n) {
    const Location l = loc(n);
    if (!n.children.empty() && n.children.back()->is_type<g::comp_tail>()) {
      const Node& entry = *n.children.at(0);
      const Node& key = *entry.children.at(0);
      ExprPtr key_expr = key.is_type<g::map_key_word>() ? make(loc(key), Name{text(*key.children.at(0))}) : expr(key);
      Tail t = comp_tail(*n.children.back());
      return make(l, MapComp{std::move(key_expr), expr(*entry.children.at(1)), t.var, t.var_location,
                             std::move(t.source), std::move(t.filter)});
    }
    MapLit lit;
    for (const auto& c : n.children) {
      const Node& key = *c->children.at(0);
      MapEntry e;
      e.key_location = loc(key);
      if (key.is_type<g::map_key_word>()) {
        e.key = text(*key.children.at(0));
      } else {
        ExprPtr k = expr(key);
        if (const auto* raw = k->as<RawString>()) {
          e.key = raw->value;
        } else if (const auto* ts = k->as<TemplateString>();
                   ts && ts->parts.size() == 1 && std::holds_alternative<std::string>(ts->parts[0])) {
          e.key = std::get<std::string>(ts->parts[0]);
        } else {
          diags_.error("E0004", e.key_location, "a map key must be a name or a plain string",
                       "compute keys with a comprehension: `{k: v for x in xs}`");
        }
      }
      e.value = expr(*c->children.at(1));
      lit.entries.push_back(std::move(e));
    }
    return make(l, std::move(lit));
  }

  ExprPtr collection(const Node& n) {
    bool changed = false;
    std::size_t i = 0;
    if (n.children.at(0)->is_type<g::changed_flag>()) {
      changed = true;
      ++i;
    }
    std::string kind_text = text(*n.children.at(i));
    kind_text = kind_text.substr(0, kind_text.find_first_of(" \t\r\n#"));
    const CollectionKind kind = kind_text == "aws"    ? CollectionKind::Aws
                                : kind_text == "view" ? CollectionKind::View
                                                      : CollectionKind::Group;
    return make(loc(n), CollectionRef{kind, text(*n.children.at(i + 1)), changed});
  }

  ExprPtr quantifier(const Node& n) {
    const std::string k = text(*n.children.at(0));
    const QuantifierKind kind = k == "any"    ? QuantifierKind::Any
                                : k == "all"  ? QuantifierKind::All
                                : k == "none" ? QuantifierKind::None
                                              : QuantifierKind::Count;
    return make(loc(n), Quantifier{kind, text(*n.children.at(1)), loc(*n.children.at(1)), expr(*n.children.at(2)),
                                   expr(*n.children.at(3))});
  }

  ExprPtr call(const Node& n) {
    Call c{text(*n.children.at(0)), loc(*n.children.at(0)), {}};
    for (std::size_t i = 1; i < n.children.size(); ++i) c.args.push_back(expr(*n.children[i]));
    return make(loc(*n.children.at(0)), std::move(c));
  }

  // ---- declarations ------------------------------------------------------------------

  Module module(const Node& root) {
    Module m;
    m.source = file_;
    m.first_id = next_id_;
    for (const auto& c : root.children) {
      const Node& d = *c;
      if (d.is_type<g::header>()) {
        header(d, m);
      } else if (d.is_type<g::import_decl>()) {
        import_decl(d, m);
      } else if (d.is_type<g::const_decl>()) {
        m.consts.push_back({next_id(), loc(*d.children.at(0)), text(*d.children.at(0)), expr(*d.children.at(1))});
      } else if (d.is_type<g::let_decl>()) {
        m.lets.push_back({next_id(), loc(*d.children.at(0)), text(*d.children.at(0)), expr(*d.children.at(1))});
      } else if (d.is_type<g::def_decl>()) {
        Def def{next_id(), loc(*d.children.at(0)), text(*d.children.at(0)), {}, {}, nullptr};
        for (std::size_t i = 1; i + 1 < d.children.size(); ++i) {
          def.params.push_back(text(*d.children[i]));
          def.param_locations.push_back(loc(*d.children[i]));
        }
        def.body = expr(*d.children.back());
        m.defs.push_back(std::move(def));
      } else if (d.is_type<g::policy_decl>()) {
        m.policies.push_back(policy(d));
      }
    }
    m.end_id = next_id_;
    return m;
  }

  void header(const Node& d, Module& m) {
    const Node& v = *d.children.at(0);
    const std::string t = text(v);
    int version = 0;
    std::from_chars(t.data(), t.data() + t.size(), version);
    m.language_version = version;
    bool supported = false;
    for (const int s : kSupportedVersions) supported = supported || s == version;
    if (!supported) {
      diags_.error("E0003", loc(v), "unsupported language version " + t + " (this engine reads: 1)",
                   "write `reddalert 1`, or upgrade reddalert to read version " + t);
    }
  }

  void import_decl(const Node& d, Module& m) {
    ExprPtr path = expr(*d.children.at(0));
    std::string p;
    if (const auto* raw = path->as<RawString>()) {
      p = raw->value;
    } else if (const auto* ts = path->as<TemplateString>();
               ts && ts->parts.size() == 1 && std::holds_alternative<std::string>(ts->parts[0])) {
      p = std::get<std::string>(ts->parts[0]);
    } else {
      diags_.error("E0005", path->location, "an import path cannot contain `{...}`", "write the path literally");
    }
    m.imports.push_back({loc(*d.children.at(0)), p});
  }

  Policy policy(const Node& d) {
    Policy p;
    p.id = next_id();
    p.location = loc(*d.children.at(0));
    p.name = text(*d.children.at(0));
    // Order: metadata, params, clauses, then alert / message / details.
    enum Stage { Meta, Params, Clauses, Output } stage = Meta;
    auto out_of_order = [&](const Location& l, const std::string& what, const char* expected_before) {
      diags_.error("E0011", l, what + " is out of place in policy `" + p.name + "`",
                   std::string("a policy lists metadata, then `param`s, then `for`/`let`/`where` clauses, then "
                               "`alert`, `message`, `key` and `details`; ") +
                       expected_before);
    };
    for (std::size_t i = 1; i < d.children.size(); ++i) {
      const Node& item = *d.children[i];
      const Location l = loc(item);
      if (item.is_type<g::meta_item>()) {
        std::string key = text(*item.children.at(0));
        if (stage != Meta) out_of_order(l, "metadata `" + key + "`", "move it to the top of the policy");
        for (const auto& existing : p.meta) {
          if (existing.key == key) {
            base::Diagnostic dd{
                base::Severity::Error, "E0012", l, "`" + key + "` is given twice in policy `" + p.name + "`", "", {}};
            dd.notes.push_back({existing.location, "first given here"});
            diags_.add(std::move(dd));
          }
        }
        p.meta.push_back({l, key, expr(*item.children.at(1))});
      } else if (item.is_type<g::param_item>()) {
        if (stage > Params)
          out_of_order(l, "`param " + text(*item.children.at(0)) + "`", "declare params before the first clause");
        stage = std::max(stage, Params);
        p.params.push_back(
            {next_id(), loc(*item.children.at(0)), text(*item.children.at(0)), expr(*item.children.at(1))});
      } else if (item.is_type<g::for_clause>() || item.is_type<g::let_clause>() || item.is_type<g::where_clause>()) {
        if (stage == Output) out_of_order(l, "a clause", "clauses come before `alert`");
        stage = std::max(stage, Clauses);
        Clause c;
        c.id = next_id();
        c.location = l;
        c.location.length = item.is_type<g::where_clause>() ? 5 : 3;
        if (item.is_type<g::where_clause>()) {
          c.kind = ClauseKind::Where;
          c.expr = expr(*item.children.at(0));
        } else {
          c.kind = item.is_type<g::for_clause>() ? ClauseKind::For : ClauseKind::Let;
          c.name = text(*item.children.at(0));
          c.name_location = loc(*item.children.at(0));
          c.expr = expr(*item.children.at(1));
        }
        if (p.clauses.empty() && c.kind != ClauseKind::For) {
          diags_.error("E0013", c.location, "the first clause of policy `" + p.name + "` must be a `for`",
                       "start the pipeline with `for NAME in SOURCE`");
        }
        p.clauses.push_back(std::move(c));
      } else {
        stage = Output;
        const bool alert = item.is_type<g::alert_clause>(), message = item.is_type<g::message_clause>(),
                   key = item.is_type<g::key_clause>();
        const char* what = alert ? "alert" : message ? "message" : key ? "key" : "details";
        ExprPtr& slot = alert ? p.alert : message ? p.message : key ? p.key : p.details;
        Location& slot_loc = alert     ? p.alert_location
                             : message ? p.message_location
                             : key     ? p.key_location
                                       : p.details_location;
        Location kl = l;
        kl.length = static_cast<std::uint32_t>(std::string_view(what).size());
        if (slot) {
          base::Diagnostic dd{base::Severity::Error,
                              "E0012",
                              kl,
                              std::string("`") + what + "` is given twice in policy `" + p.name + "`",
                              "",
                              {}};
          dd.notes.push_back({slot_loc, "first given here"});
          diags_.add(std::move(dd));
        }
        slot = expr(*item.children.at(0));
        slot_loc = kl;
      }
    }
    auto require_meta = [&](const char* key) {
      for (const auto& m : p.meta) {
        if (m.key == key) return;
      }
      diags_.error("E0014", p.location, "policy `" + p.name + "` has no `" + key + "`",
                   std::string("add `") + key + (std::string_view(key) == "title" ? " \"...\"`" : " high`") +
                       " after the opening brace");
    };
    require_meta("title");
    require_meta("severity");
    if (p.clauses.empty()) {
      diags_.error("E0014", p.location, "policy `" + p.name + "` has no `for` clause",
                   "add `for NAME in aws.COLLECTION`");
    }
    if (!p.alert)
      diags_.error("E0014", p.location, "policy `" + p.name + "` has no `alert`",
                   "add `alert \"{x.id}\"` after the clauses");
    if (!p.message) {
      diags_.error("E0014", p.location, "policy `" + p.name + "` has no `message`",
                   "add `message \"...\"` after `alert`");
    }
    return p;
  }

 private:
  int height_of(const Expr& e) const { return heights_[e.id - first_id_]; }
  void set_height(NodeId id, int height) {
    if (heights_.size() <= id - first_id_) heights_.resize(id - first_id_ + 1);
    heights_[id - first_id_] = static_cast<std::uint8_t>(height);
  }

  base::SourcePtr file_;
  base::Diagnostics& diags_;
  NodeId first_id_;
  NodeId next_id_;
  std::vector<std::uint8_t> heights_;  // by node id - first_id_: at most kMaxNesting
  bool too_deep_ = false;
};

}  // namespace

base::Diagnostic too_deep(const base::Location& at) {
  return {base::Severity::Error,
          "E0006",
          at,
          "expressions nest more than " + std::to_string(kMaxNesting) + " levels deep",
          "split the expression with `let` or `def`",
          {}};
}

std::optional<ast::Module> lower_module(const Node& root, base::SourcePtr file, ast::NodeId first_id,
                                        base::Diagnostics& diags) {
  Lowerer lowerer(std::move(file), first_id, diags);
  ast::Module m = lowerer.module(root);
  if (lowerer.overflowed()) return std::nullopt;
  return m;
}

ast::ExprPtr lower_expression(const Node& root, base::SourcePtr file, ast::NodeId first_id, base::Diagnostics& diags) {
  Lowerer lowerer(std::move(file), first_id, diags);
  ast::ExprPtr e = lowerer.expr(*root.children.at(0));
  if (lowerer.overflowed()) return nullptr;
  return e;
}

}  // namespace reddalert::syntax
