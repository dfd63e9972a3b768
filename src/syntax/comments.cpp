#include "syntax/comments.hpp"

#include <functional>
#include <set>

namespace reddalert::syntax {

using namespace reddalert::ast;

namespace {

// Which bytes are code (tokens, strings and regexes included) and where the comments are.
// A `/` starts a regex only where the syntax tree has one, so division is not mistaken
// for a regex; a template string's `{...}` parts are code, and may hold comments.
class Scanner {
 public:
  Scanner(const std::string& t, const std::set<std::size_t>& regex_starts)
      : t_(t), regexes_(regex_starts), code_(t.size(), 0) {}

  void run() { code(false); }
  std::vector<Comment> comments;
  const std::vector<char>& code_bytes() const { return code_; }

 private:
  void mark() { code_[i_++] = 1; }
  bool more() const { return i_ < t_.size(); }

  void code(bool interpolation) {
    int depth = 0;
    while (more()) {
      const char c = t_[i_];
      if (c == '#') {
        const std::size_t start = i_;
        while (more() && t_[i_] != '\n') ++i_;
        std::string s = t_.substr(start, i_ - start);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
        comments.push_back({start, std::move(s)});
      } else if (c == '"') {
        template_string();
      } else if (c == '\'') {
        mark();
        while (more() && t_[i_] != '\'' && t_[i_] != '\n') mark();
        if (more() && t_[i_] == '\'') mark();
      } else if (c == '/' && regexes_.count(i_) > 0) {
        mark();
        while (more() && t_[i_] != '/' && t_[i_] != '\n') {
          if (t_[i_] == '\\' && i_ + 1 < t_.size() && t_[i_ + 1] != '\n') mark();
          mark();
        }
        if (more() && t_[i_] == '/') mark();
      } else {
        if (interpolation && c == '{') ++depth;
        if (interpolation && c == '}') {
          if (depth == 0) return;
          --depth;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
          ++i_;
        } else {
          mark();
        }
      }
    }
  }

  void template_string() {
    mark();
    while (more() && t_[i_] != '"' && t_[i_] != '\n') {
      if (t_[i_] == '\\') {
        mark();
        if (more()) mark();
      } else if (t_[i_] == '{') {
        mark();
        code(true);
        if (more()) mark();
      } else {
        mark();
      }
    }
    if (more() && t_[i_] == '"') mark();
  }

  const std::string& t_;
  const std::set<std::size_t>& regexes_;
  std::vector<char> code_;
  std::size_t i_ = 0;
};

// The byte offsets where regex literals start.
void collect_regexes(const Module& module, std::set<std::size_t>& out) {
  const std::function<void(const Expr&)> walk = [&](const Expr& e) {
    if (e.as<RegexLit>()) out.insert(e.location.offset());
    if (const auto* s = e.as<TemplateString>()) {
      for (const auto& p : s->parts) {
        if (const auto* x = std::get_if<ExprPtr>(&p)) walk(**x);
      }
    }
    for_each_child(e, walk);
  };
  for_each_root(module, walk);
}

}  // namespace

ScannedText scan_text(const Module& module) {
  std::set<std::size_t> regexes;
  collect_regexes(module, regexes);
  const std::string& text = module.source->text();
  Scanner scanner(text, regexes);
  scanner.run();
  return {.comments = std::move(scanner.comments), .code = scanner.code_bytes()};
}

}  // namespace reddalert::syntax
