// Internal to syntax/: what a failed parse learned (filled by the PEGTL control in parse.cpp),
// and the one diagnostic that explains it: a common mistake by name when the facts show one
// (docs/language.md, section 14), else E0001 with the tokens that were expected.
#pragma once

#include <string>
#include <vector>

#include "base/diagnostic.hpp"

namespace reddalert::syntax {

struct Failure {
  // Positions are pointers into the file's text.
  const char* furthest = nullptr;     // where the parser got furthest: the error point
  std::vector<std::string> expected;  // the names of the tokens tried there
  const char* raised_shape = nullptr;
  bool raised_in_header = false;
  bool too_deep = false;
  const char* binder_at = nullptr;  // the furthest place where a binding name was tried
  // The comparison with an operator that ended furthest (`1 < x` of `1 < x < 3`).
  struct Comparison {
    const char* begin = nullptr;
    const char* op = nullptr;
    const char* end = nullptr;  // after the whitespace that follows it
  } comparison;
  const char* unclosed = nullptr;  // the opener whose closer a commit point missed
};

base::Diagnostic explain(const base::SourcePtr& file, const Failure& f);

}  // namespace reddalert::syntax
