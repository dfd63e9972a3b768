// The comments of a parsed module's text. The grammar folds comments into whitespace, so
// they are found again in the text, with the syntax tree telling a regex's `/` from a
// division's: `fmt` puts them back, and lint reads suppressions from them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ast/ast.hpp"

namespace reddalert::syntax {

struct Comment {
  std::size_t offset;  // the byte of its `#`
  std::string text;    // from `#` to the end of its line, trailing spaces removed
};

struct ScannedText {
  std::vector<Comment> comments;  // in text order
  std::vector<char> code;         // per byte of the text: 1 for code (tokens, strings, regexes), 0 otherwise
};

// Scans `module.source`'s text.
ScannedText scan_text(const ast::Module& module);

}  // namespace reddalert::syntax
