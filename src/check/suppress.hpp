// Suppression comments (language.md, "Suppressing a warning"):
// `# reddalert: ignore[W0201,W0204] reason` silences those warnings on its line, or, on a
// line of its own, on the next line that holds code.
#pragma once

#include "base/diagnostic.hpp"
#include "check/check.hpp"

namespace reddalert::check {

// `diags` without the warnings that a suppression comment in a file of `workspace` covers,
// and with the problems of the suppressions themselves: one without a reason (E0510), one
// that is malformed (E0511) or names a code that is not a warning (E0512), and each code
// of a suppression that covered nothing (W0510). Run once, on every diagnostic loading and
// checking found, so that `lint`, `check` and `test` agree.
base::Diagnostics apply_suppressions(const Workspace& workspace, const base::Diagnostics& diags);

}  // namespace reddalert::check
