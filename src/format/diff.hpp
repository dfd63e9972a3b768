// A unified diff of two texts, line by line (a longest common subsequence of lines), for
// `reddalert fmt --diff`.
#pragma once

#include <string>

namespace reddalert::format {

// "--- a/NAME\n+++ b/NAME\n@@ -1,3 +1,3 @@\n ..." with three lines of context; empty when
// the texts are equal.
std::string unified_diff(const std::string& before, const std::string& after, const std::string& name);

}  // namespace reddalert::format
