// The layout of a whole file: declarations and policy items one per line, their comments
// found in the text (the parser folds them into whitespace) and put back by line.
#include "format/format.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

#include "format/expr_doc.hpp"
#include "syntax/comments.hpp"
#include "syntax/parse.hpp"

namespace reddalert::format {

using namespace reddalert::ast;
using syntax::Comment;

namespace {

// ---- the file as units: the header, declarations, and a policy's parts -----------------

enum class UnitKind { Header, Import, Const, Def, Let, PolicyOpen, Meta, Param, Clause, Output, PolicyClose, End };

struct LeadingComment {
  const Comment* comment;
  bool blank_after;  // a blank line follows it (before the next comment or its unit)
};

struct Unit {
  UnitKind kind;
  std::size_t start = 0;  // first byte of its first token
  std::size_t end = 0;    // last byte of its last token
  const void* node = nullptr;
  std::vector<LeadingComment> leading;  // whole-line comments before it, then those inside it
  const Comment* trailing = nullptr;    // the comment at the end of its last line
  bool blank_before = false;            // a blank line before it (or its first comment) in the text
  int output = -1;                      // alert, message, key, details: 0 to 3
};

Unit make_unit(UnitKind kind, std::size_t start, const void* node = nullptr, int output = -1) {
  Unit u;
  u.kind = kind;
  u.start = start;
  u.end = start;
  u.node = node;
  u.output = output;
  return u;
}

struct OutLine {
  std::string code;     // with its indentation; empty for a blank line
  std::string comment;  // an end-of-line comment
};

class Formatter {
 public:
  explicit Formatter(const Module& m) : m_(m), t_(m.source->text()) {
    for (std::size_t i = 0; i < t_.size(); ++i) {
      if (t_[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  std::string run() {
    scan();
    build_units();
    attach_comments();
    emit();
    return joined();
  }

  std::vector<std::string> comments() {
    scan();
    std::vector<std::string> out;
    for (const Comment& c : comments_) out.push_back(c.text);
    return out;
  }

 private:
  void scan() {
    syntax::ScannedText scanned = syntax::scan_text(m_);
    comments_ = std::move(scanned.comments);
    code_ = std::move(scanned.code);
  }

  // ---- positions ----
  static std::size_t offset(const Location& l) { return l.offset(); }
  std::size_t line_of(std::size_t off) const {
    return static_cast<std::size_t>(std::upper_bound(line_starts_.begin(), line_starts_.end(), off) -
                                    line_starts_.begin());
  }
  bool is_code(std::size_t i) const { return i < code_.size() && code_[i] != 0; }
  // The keyword before a name: back over whitespace and comments, then over a word.
  std::size_t keyword_before(std::size_t off) const {
    std::size_t j = off;
    while (j > 0 && !is_code(j - 1)) --j;
    while (j > 0 && is_code(j - 1) && (std::isalnum(static_cast<unsigned char>(t_[j - 1])) != 0 || t_[j - 1] == '_')) {
      --j;
    }
    return j;
  }
  std::size_t next_code(std::size_t off) const {
    while (off < t_.size() && !is_code(off)) ++off;
    return off;
  }
  // The last code byte before `off` (at or after `floor`).
  std::size_t last_code_before(std::size_t off, std::size_t floor) const {
    std::size_t j = off;
    while (j > floor && !is_code(j - 1)) --j;
    return j > floor ? j - 1 : floor;
  }
  // Whether a line strictly between lines a and b is blank (neither code nor comment).
  bool blank_between(std::size_t a, std::size_t b) const {
    for (std::size_t l = a + 1; l < b; ++l) {
      const std::size_t s = line_starts_[l - 1];
      const std::size_t e = l < line_starts_.size() ? line_starts_[l] : t_.size();
      bool blank = true;
      for (std::size_t i = s; i < e && blank; ++i) {
        blank = t_[i] == ' ' || t_[i] == '\t' || t_[i] == '\r' || t_[i] == '\n' || t_[i] == '\v' || t_[i] == '\f';
      }
      if (blank) return true;
    }
    return false;
  }

  void build_units() {
    std::vector<Unit> top;
    top.push_back(make_unit(UnitKind::Header, next_code(0)));
    for (const auto& i : m_.imports) top.push_back(make_unit(UnitKind::Import, keyword_before(offset(i.location)), &i));
    for (const auto& c : m_.consts) top.push_back(make_unit(UnitKind::Const, keyword_before(offset(c.location)), &c));
    for (const auto& d : m_.defs) top.push_back(make_unit(UnitKind::Def, keyword_before(offset(d.location)), &d));
    for (const auto& l : m_.lets) top.push_back(make_unit(UnitKind::Let, keyword_before(offset(l.location)), &l));
    for (const auto& p : m_.policies) {
      top.push_back(make_unit(UnitKind::PolicyOpen, keyword_before(offset(p.location)), &p));
    }
    std::stable_sort(top.begin() + 1, top.end(), [](const Unit& a, const Unit& b) { return a.start < b.start; });
    for (std::size_t k = 0; k < top.size(); ++k) {
      const std::size_t limit = k + 1 < top.size() ? top[k + 1].start : t_.size();
      Unit u = top[k];
      if (u.kind != UnitKind::PolicyOpen) {
        u.end = last_code_before(limit, u.start);
        units_.push_back(u);
        continue;
      }
      const auto& p = *static_cast<const Policy*>(u.node);
      const std::size_t close = last_code_before(limit, u.start);
      u.end = next_code(offset(p.location) + p.name.size());
      units_.push_back(u);
      std::vector<Unit> items;
      for (const auto& x : p.meta) items.push_back(make_unit(UnitKind::Meta, offset(x.location), &x));
      for (const auto& x : p.params)
        items.push_back(make_unit(UnitKind::Param, keyword_before(offset(x.location)), &x));
      for (const auto& x : p.clauses) items.push_back(make_unit(UnitKind::Clause, offset(x.location), &x));
      const std::pair<const ExprPtr*, const Location*> outputs[] = {{&p.alert, &p.alert_location},
                                                                    {&p.message, &p.message_location},
                                                                    {&p.key, &p.key_location},
                                                                    {&p.details, &p.details_location}};
      int rank = 0;
      for (const auto& [e, l] : outputs) {
        if (*e) items.push_back(make_unit(UnitKind::Output, offset(*l), e, rank));
        ++rank;
      }
      std::stable_sort(items.begin(), items.end(), [](const Unit& a, const Unit& b) { return a.start < b.start; });
      for (std::size_t j = 0; j < items.size(); ++j) {
        items[j].end = last_code_before(j + 1 < items.size() ? items[j + 1].start : close, items[j].start);
        units_.push_back(items[j]);
      }
      units_.push_back(make_unit(UnitKind::PolicyClose, close, &p));
    }
    units_.push_back(make_unit(UnitKind::End, t_.size()));
  }

  void attach_comments() {
    std::vector<const Comment*> before_header;
    std::vector<std::vector<const Comment*>> inner(units_.size());
    for (const Comment& c : comments_) {
      std::size_t k = 0;
      while (k + 1 < units_.size() && units_[k + 1].start <= c.offset) ++k;
      if (units_.empty() || units_[0].start > c.offset) {
        before_header.push_back(&c);
      } else if (c.offset > units_[k].end || units_[k].kind == UnitKind::End) {
        if (units_[k].kind != UnitKind::End && line_of(c.offset) == line_of(units_[k].end)) {
          units_[k].trailing = &c;
        } else {
          units_[std::min(k + 1, units_.size() - 1)].leading.push_back({&c, false});
        }
      } else if (k == 0) {
        before_header.push_back(&c);  // inside the header
      } else {
        inner[k].push_back(&c);
      }
    }
    for (std::size_t k = 0; k < units_.size(); ++k) {
      Unit& u = units_[k];
      // Blank lines as written: before the unit's block, and after each of its comments.
      const std::size_t prev_line = k > 0 ? line_of(units_[k - 1].end) : 0;
      const std::size_t first_line = u.leading.empty() ? line_of(u.start) : line_of(u.leading[0].comment->offset);
      u.blank_before = k > 0 && blank_between(prev_line, first_line);
      for (std::size_t j = 0; j < u.leading.size(); ++j) {
        const std::size_t here = line_of(u.leading[j].comment->offset);
        const std::size_t next =
            j + 1 < u.leading.size() ? line_of(u.leading[j + 1].comment->offset) : line_of(u.start);
        u.leading[j].blank_after = blank_between(here, next) && !(u.kind == UnitKind::End && j + 1 == u.leading.size());
      }
      for (const Comment* c : inner[k]) u.leading.push_back({c, false});
    }
    // Comments above the header go below it, before the first declaration.
    if (!before_header.empty() && units_.size() > 1) {
      std::vector<LeadingComment> moved;
      for (std::size_t j = 0; j < before_header.size(); ++j) {
        const bool last = j + 1 == before_header.size();
        moved.push_back({before_header[j], last ? units_[1].kind != UnitKind::End
                                                : blank_between(line_of(before_header[j]->offset),
                                                                line_of(before_header[j + 1]->offset))});
      }
      Unit& first = units_[1];
      first.leading.insert(first.leading.begin(), moved.begin(), moved.end());
      first.blank_before = true;
    }
  }

  // ---- output ----
  void blank() {
    if (!out_.empty() && !out_.back().code.empty()) out_.push_back({});
  }
  void comments_of(const Unit& u, const std::string& indent) {
    for (const auto& c : u.leading) {
      out_.push_back({indent + c.comment->text, ""});
      if (c.blank_after) out_.push_back({});
    }
  }
  // Appends a rendered item (possibly several lines); its trailing comment on the last.
  void item(const std::string& code, const Unit& u) {
    std::size_t s = 0;
    while (true) {
      const std::size_t e = code.find('\n', s);
      out_.push_back({code.substr(s, e == std::string::npos ? std::string::npos : e - s), ""});
      if (e == std::string::npos) break;
      s = e + 1;
    }
    if (u.trailing) out_.back().comment = u.trailing->text;
  }

  static std::string padded(const std::string& word, std::size_t width) {
    return word + std::string(width > word.size() ? width - word.size() : 0, ' ') + " ";
  }

  std::string declaration(const Unit& u) const {
    switch (u.kind) {
      case UnitKind::Header: return "reddalert " + std::to_string(m_.language_version);
      case UnitKind::Import: return "import \"" + escape_template_text(static_cast<const Import*>(u.node)->path) + "\"";
      case UnitKind::Const: {
        const auto& c = *static_cast<const Const*>(u.node);
        return render(concat({text("const " + c.name + " = "), expression_doc(*c.value)}), 0, kWidth);
      }
      case UnitKind::Let: {
        const auto& l = *static_cast<const Let*>(u.node);
        return render(concat({text("let " + l.name + " = "), expression_doc(*l.value)}), 0, kWidth);
      }
      case UnitKind::Def: {
        const auto& d = *static_cast<const Def*>(u.node);
        std::string params;
        for (std::size_t i = 0; i < d.params.size(); ++i) params += (i > 0 ? ", " : "") + d.params[i];
        return render(concat({text("def " + d.name + "(" + params + ") = "), expression_doc(*d.body)}), 0, kWidth);
      }
      default: return "";
    }
  }

  static int section(const Unit& u) {
    switch (u.kind) {
      case UnitKind::Meta: return 0;
      case UnitKind::Param: return 1;
      case UnitKind::Clause: return 2;
      default: return 3;
    }
  }

  std::string policy_item(const Unit& u, std::size_t meta_width, std::size_t output_width) const {
    const auto doc = [](const std::string& head, const Expr& e) {
      return "  " + render(concat({text(head), expression_doc(e)}), 2, kWidth);
    };
    switch (u.kind) {
      case UnitKind::Meta: {
        const auto& x = *static_cast<const MetaField*>(u.node);
        return doc(padded(x.key, meta_width), *x.value);
      }
      case UnitKind::Param: {
        const auto& x = *static_cast<const Param*>(u.node);
        return doc("param " + x.name + " = ", *x.value);
      }
      case UnitKind::Clause: {
        const auto& x = *static_cast<const Clause*>(u.node);
        switch (x.kind) {
          case ClauseKind::For: return doc("for " + x.name + " in ", *x.expr);
          case ClauseKind::Let: return doc("let " + x.name + " = ", *x.expr);
          case ClauseKind::Where: return doc("where ", *x.expr);
        }
        return "";
      }
      default: {
        static const char* const names[] = {"alert", "message", "key", "details"};
        return doc(padded(names[u.output], output_width), **static_cast<const ExprPtr*>(u.node));
      }
    }
  }

  void emit_policy(std::size_t& k) {
    const Unit& open = units_[k];
    const auto& p = *static_cast<const Policy*>(open.node);
    comments_of(open, "");
    item("policy " + p.name + " {", open);
    std::vector<const Unit*> items;
    while (units_[k + 1].kind != UnitKind::PolicyClose) items.push_back(&units_[++k]);
    const Unit& close = units_[++k];
    std::stable_sort(items.begin(), items.end(), [](const Unit* a, const Unit* b) {
      return section(*a) != section(*b) ? section(*a) < section(*b) : section(*a) == 3 && a->output < b->output;
    });
    std::size_t meta_width = 0, output_width = 0;
    for (const Unit* u : items) {
      if (u->kind == UnitKind::Meta) {
        meta_width = std::max(meta_width, static_cast<const MetaField*>(u->node)->key.size());
      }
      if (u->kind == UnitKind::Output) output_width = std::max(output_width, std::string_view("message").size());
    }
    for (std::size_t j = 0; j < items.size(); ++j) {
      const Unit& u = *items[j];
      if (j > 0 && (section(*items[j - 1]) != section(u) || u.blank_before)) blank();
      comments_of(u, "  ");
      item(policy_item(u, meta_width, output_width), u);
    }
    if (!close.leading.empty()) {
      if (close.blank_before && !items.empty()) blank();
      for (const auto& c : close.leading) out_.push_back({"  " + c.comment->text, ""});
    }
    item("}", close);
  }

  void emit() {
    UnitKind previous = UnitKind::Header;
    bool previous_one_line = true;
    for (std::size_t k = 0; k < units_.size(); ++k) {
      const Unit& u = units_[k];
      if (u.kind == UnitKind::Header) {
        item(declaration(u), u);
        continue;
      }
      if (u.kind == UnitKind::End) {
        if (!u.leading.empty()) {
          if (u.blank_before || previous == UnitKind::Header) blank();
          comments_of(u, "");
        }
        break;
      }
      const std::string code = u.kind == UnitKind::PolicyOpen ? std::string() : declaration(u);
      const bool one_line = u.kind != UnitKind::PolicyOpen && code.find('\n') == std::string::npos;
      // One blank line between declarations; one-line declarations of a kind written
      // together stay together.
      if (!(previous == u.kind && previous_one_line && one_line && !u.blank_before)) blank();
      if (u.kind == UnitKind::PolicyOpen) {
        emit_policy(k);
      } else {
        comments_of(u, "");
        item(code, u);
      }
      previous = u.kind;
      previous_one_line = one_line;
    }
  }

  // End-of-line comments of consecutive lines share a column, three spaces after the
  // longest of those lines.
  std::string joined() const {
    std::string result;
    std::size_t i = 0;
    while (i < out_.size()) {
      std::size_t j = i;
      int width = 0;
      while (j < out_.size() && !out_[j].comment.empty() && !out_[j].code.empty()) {
        width = std::max(width, columns(out_[j].code));
        ++j;
      }
      if (j == i) {
        result += out_[i].code;
        if (!out_[i].comment.empty()) result += out_[i].comment;
        result += '\n';
        ++i;
        continue;
      }
      for (; i < j; ++i) {
        result += out_[i].code + std::string(static_cast<std::size_t>(width - columns(out_[i].code) + 3), ' ') +
                  out_[i].comment + '\n';
      }
    }
    return result;
  }

  const Module& m_;
  const std::string& t_;
  std::vector<std::size_t> line_starts_{0};
  std::vector<Comment> comments_;
  std::vector<char> code_;
  std::vector<Unit> units_;
  std::vector<OutLine> out_;
};

// Errors after which the tree still holds all of the text: it can be laid out.
bool keeps_text(const base::Diagnostic& d) {
  return d.severity != base::Severity::Error || d.code == "E0011" || d.code == "E0013" || d.code == "E0014";
}

}  // namespace

std::string format_module(const Module& module) { return Formatter(module).run(); }

std::vector<std::string> comments_of(const Module& module) { return Formatter(module).comments(); }

std::string format_expression(const Expr& e, int indent) { return render(expression_doc(e), indent, kWidth); }

FormatResult format(const base::SourcePtr& file) {
  FormatResult result;
  syntax::ParseResult parsed = syntax::parse(file);
  bool ok = parsed.module.has_value();
  for (const auto& d : parsed.diagnostics.items()) ok = ok && keeps_text(d);
  if (!ok) {
    for (const auto& d : parsed.diagnostics.items()) {
      if (!keeps_text(d)) result.diagnostics.add(d);
    }
    return result;
  }
  result.text = format_module(*parsed.module);
  return result;
}

}  // namespace reddalert::format
