// A small Wadler-style document for laying out expressions: text, line breaks that are a
// space (or nothing) when their group fits on the line, nesting, alignment on a column,
// and groups that are printed flat when they fit and broken otherwise, outermost first.
#pragma once

#include <string>
#include <vector>

namespace reddalert::format {

struct Doc {
  enum class Kind { Text, Line, SoftLine, Boundary, Concat, Nest, Align, Group };
  Kind kind = Kind::Text;
  std::string text;  // Text
  int indent = 0;    // Nest
  std::vector<Doc> parts;
};

Doc text(std::string s);
Doc line();      // a space, or a line break
Doc softline();  // nothing, or a line break
// Prints nothing; a group before it fits when it fits up to here, whatever follows on the
// line (the condition of an `if`, whose branch may be a long string).
Doc boundary();
Doc concat(std::vector<Doc> parts);
Doc nest(int indent, Doc d);  // line breaks inside go `indent` further in
Doc align(Doc d);             // line breaks inside go to the column where `d` starts
Doc group(Doc d);             // flat when it fits, else its own line breaks break

// Lays `d` out starting at column `indent` (also the base indentation), lines of at most
// `width` columns where the groups allow it; no trailing spaces.
std::string render(const Doc& d, int indent, int width);

// Columns a text takes: its UTF-8 code points.
int columns(const std::string& s);

}  // namespace reddalert::format
