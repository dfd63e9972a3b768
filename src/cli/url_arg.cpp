// --edda URL, checked as the configuration's `edda:` is: http:// or https:// only.
#include <iostream>

#include "base/url.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

bool check_edda_arg(const std::string& command, const std::string& url) {
  const std::string problem = base::url_problem(url, base::kHttpSchemes);
  if (problem.empty()) return true;
  std::cerr << "reddalert " << command << ": --edda must be " << base::url_kind(base::kHttpSchemes) << ": " << problem
            << '\n';
  return false;
}

}  // namespace reddalert::cli
