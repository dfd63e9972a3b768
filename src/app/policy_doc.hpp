// `reddalert doc`: the reference page of the shipped policies (docs/policies.md), made
// from their metadata, params (with the comment on each param's line) and, as the
// example alert, the first alert of their first test case that expects one.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace reddalert::app {

// Writes the Markdown page; returns the exit code (2 when policies do not load).
int write_policy_doc(const std::vector<std::string>& paths, std::ostream& out, std::ostream& err);

}  // namespace reddalert::app
