#include "lsp/completion.hpp"

#include <algorithm>
#include <set>

#include "lang/builtins.hpp"
#include "lsp/hover.hpp"
#include "lsp/locate.hpp"
#include "lsp/position.hpp"
#include "model/collections.hpp"
#include "syntax/parse.hpp"

namespace reddalert::lsp {

namespace {

// LSP 3.17 CompletionItemKind.
enum ItemKind { kFunction = 3, kField = 5, kVariable = 6, kModule = 9, kProperty = 10, kKeyword = 14, kConstant = 21 };

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

nlohmann::json item(const std::string& label, int kind, const std::string& detail = {},
                    const std::string& documentation = {}) {
  nlohmann::json i = {{"label", label}, {"kind", kind}};
  if (!detail.empty()) i["detail"] = detail;
  if (!documentation.empty()) i["documentation"] = {{"kind", "markdown"}, {"value", documentation}};
  return i;
}

nlohmann::json list(nlohmann::json items) { return {{"isIncomplete", false}, {"items", std::move(items)}}; }

// The schema fields of type `t` (of its elements, after a projection `[*]`).
nlohmann::json fields_of(const check::Type& t) {
  const model::Schema* s = t.schema;
  if (!s && t.kind == check::Type::Kind::List && t.element) s = t.element->schema;
  nlohmann::json items = nlohmann::json::array();
  if (!s) return items;
  for (const auto& [name, field] : s->fields) {
    const std::string kind = describe_type(check::Type::from_schema(field.schema.get()));
    items.push_back(item(name, kField, field.optional ? kind + " (EDDA may omit it)" : kind));
  }
  return items;
}

// The type of the expression whose token ends at byte `end` (just before a `.`).
std::optional<check::Type> type_ending_at(const Analysis& a, std::size_t end) {
  if (!a.module) return std::nullopt;
  std::optional<check::Type> found;
  for_each_expr(a.module->module, [&](const ast::Expr& e) {
    const base::Location& at = e.as<ast::Field>() ? e.as<ast::Field>()->name_location : e.location;
    if (byte_span(at).second == end && e.id < a.program().types.size()) found = a.program().types[e.id];
  });
  return found;
}

// The last good analysis's Name `name` nearest to `line` that has a schema.
std::optional<check::Type> type_by_name(const Analysis& a, const std::string& name, std::uint32_t line) {
  if (!a.module || name.empty()) return std::nullopt;
  std::optional<check::Type> found;
  std::uint32_t distance = UINT32_MAX;
  for_each_expr(a.module->module, [&](const ast::Expr& e) {
    const auto* n = e.as<ast::Name>();
    if (!n || n->name != name) return;
    const check::Type& t = a.program().types[e.id];
    const std::uint32_t d = e.location.line > line ? e.location.line - line : line - e.location.line;
    if ((t.schema || (t.element && t.element->schema)) && d < distance) {
      distance = d;
      found = t;
    }
  });
  return found;
}

void add_names_in_scope(const Analysis& a, std::size_t offset, nlohmann::json& items) {
  const check::Workspace& ws = a.workspace();
  const auto add_globals = [&](const ast::Module& m) {
    for (const auto& c : m.consts) items.push_back(item(c.name, kConstant, "const"));
    for (const auto& d : m.defs) items.push_back(item(d.name, kFunction, "def"));
    for (const auto& l : m.lets) items.push_back(item(l.name, kVariable, "let"));
  };
  add_globals(a.module->module);
  for (const check::ResolvedImport& imp : a.module->imports) add_globals(ws.modules[imp.module].module);
  const Enclosing in = enclosing(a.module->module, offset);
  const auto before = [&](const base::Location& at) { return at.known() && at.offset() < offset; };
  // Binders of comprehensions, quantifiers and lambdas written before the cursor in the
  // same item: their scope is their expression, which token locations do not delimit, so
  // this offers a few names that are out of scope rather than miss those in it.
  const auto add_binders = [&](const ast::Expr& root) {
    for_each_expr(root, [&](const ast::Expr& e) {
      if (const auto* q = e.as<ast::Quantifier>(); q && before(q->var_location))
        items.push_back(item(q->var, kVariable));
      if (const auto* c = e.as<ast::ListComp>(); c && before(c->var_location)) items.push_back(item(c->var, kVariable));
      if (const auto* c = e.as<ast::MapComp>(); c && before(c->var_location)) items.push_back(item(c->var, kVariable));
      if (const auto* l = e.as<ast::Lambda>(); l && before(l->param_location))
        items.push_back(item(l->param, kVariable));
    });
  };
  if (in.policy) {
    for (const auto& p : in.policy->params) items.push_back(item(p.name, kVariable, "param"));
    const ast::Clause* current = nullptr;
    for (const auto& c : in.policy->clauses) {
      if (!before(c.location)) continue;
      current = &c;
      if (c.kind != ast::ClauseKind::Where) {
        items.push_back(item(c.name, kVariable, c.kind == ast::ClauseKind::For ? "for" : "let"));
      }
    }
    if (current) add_binders(*current->expr);
    for (const ast::Expr* e :
         {in.policy->alert.get(), in.policy->message.get(), in.policy->details.get(), in.policy->key.get()}) {
      if (e) add_binders(*e);
    }
  }
  if (in.def) {
    for (const std::string& p : in.def->params) items.push_back(item(p, kVariable, "parameter"));
    add_binders(*in.def->body);
  }
  if (in.let) add_binders(*in.let->value);
  if (in.constant) add_binders(*in.constant->value);
  items.push_back(item("now", kVariable, "the end of the window"));
  items.push_back(item("since", kVariable, "the start of the window"));
}

}  // namespace

nlohmann::json completion(const Analysis& current, const Analysis* last_good, std::size_t offset,
                          const Analyze& analyze) {
  const std::string& text = current.text;
  offset = std::min(offset, text.size());
  std::size_t word = offset;  // the start of the word being typed
  while (word > 0 && word_char(text[word - 1])) --word;
  // After `in ` or `in changed `: a collection, replacing what is typed of its name (the
  // editor's word stops at the `.` of `aws.`).
  std::size_t token = offset;
  while (token > 0 && (word_char(text[token - 1]) || text[token - 1] == '.')) --token;
  std::string head = text.substr(0, token);
  while (!head.empty() && (head.back() == ' ' || head.back() == '\t')) head.pop_back();
  const auto ends_with_word = [&](const std::string& s, const std::string& w) {
    return s.size() >= w.size() && s.compare(s.size() - w.size(), w.size(), w) == 0 &&
           (s.size() == w.size() || !word_char(s[s.size() - w.size() - 1]));
  };
  if (ends_with_word(head, "changed")) {
    head.resize(head.size() - 7);
    while (!head.empty() && (head.back() == ' ' || head.back() == '\t')) head.pop_back();
  }
  const std::string typed = text.substr(token, offset - token);
  const std::vector<std::string> collections = model::collection_names();
  const bool collection_prefix = std::any_of(collections.begin(), collections.end(), [&](const std::string& c) {
    return c.compare(0, typed.size(), typed) == 0;
  });
  if (collection_prefix && ends_with_word(head, "in") && head.size() < text.size() &&
      (text[head.size()] == ' ' || text[head.size()] == '\t')) {
    nlohmann::json items = nlohmann::json::array();
    const base::SourceFile& file = *current.source;
    const auto [l1, c1] = file.position(token);
    const auto [l2, c2] = file.position(offset);
    const nlohmann::json replace = {{"start", position(file, l1, c1)}, {"end", position(file, l2, c2)}};
    for (const std::string& name : collections) {
      nlohmann::json i = item(name, kModule, "collection");
      i["textEdit"] = {{"range", replace}, {"newText", name}};
      items.push_back(std::move(i));
    }
    return list(std::move(items));
  }

  // After `x.`: a field.
  if (word > 0 && text[word - 1] == '.' && word >= 2 &&
      (word_char(text[word - 2]) || text[word - 2] == ']' || text[word - 2] == ')')) {
    const std::size_t dot = word - 1;
    std::string blanked = text;
    std::fill(blanked.begin() + static_cast<long>(dot), blanked.begin() + static_cast<long>(offset), ' ');
    const std::shared_ptr<const Analysis> retry = analyze(blanked);
    std::optional<check::Type> t = type_ending_at(*retry, dot);
    if (!t && last_good) {
      std::size_t name = dot;
      while (name > 0 && word_char(text[name - 1])) --name;
      const auto line =
          static_cast<std::uint32_t>(std::count(text.begin(), text.begin() + static_cast<long>(dot), '\n') + 1);
      t = type_by_name(*last_good, text.substr(name, dot - name), line);
    }
    return list(t ? fields_of(*t) : nlohmann::json::array());
  }

  nlohmann::json items = nlohmann::json::array();
  const syntax::GrammarWords& words = syntax::grammar_words();
  for (const std::string& w : words.reserved) items.push_back(item(w, kKeyword));
  for (const std::string& w : words.quantifiers) items.push_back(item(w, kKeyword, "quantifier"));
  const Analysis* names = current.module ? &current : last_good;
  const bool in_policy = names && names->module && enclosing(names->module->module, offset).policy;
  if (in_policy || !names) {
    for (const std::string& w : words.policy_items) items.push_back(item(w, kProperty, "policy item"));
  }
  for (const lang::BuiltinSignature& b : lang::builtins()) items.push_back(item(b.name, kFunction, b.usage, b.summary));
  if (names && names->module) add_names_in_scope(*names, offset, items);
  // One item per label: a name bound twice (shadowing) is offered once.
  nlohmann::json unique = nlohmann::json::array();
  std::set<std::string> seen;
  for (auto& i : items) {
    if (seen.insert(i["label"].get<std::string>()).second) unique.push_back(std::move(i));
  }
  return list(std::move(unique));
}

}  // namespace reddalert::lsp
