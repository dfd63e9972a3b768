#include "cli/original_args.hpp"

#include <algorithm>

namespace reddalert::cli {

namespace {

// Options that take a value, in the original's spelling and ours.
const std::vector<std::string> kValued = {"--configfile", "-c", "--statusfile", "-f", "--since",  "-s",
                                          "--until",      "-u", "--edda",       "-e", "--output", "-o"};

}  // namespace

bool is_original_invocation(const std::vector<std::string>& args, const std::vector<std::string>& subcommands) {
  if (args.empty() || args[0].empty() || args[0][0] != '-') return false;
  if (args[0] == "-h" || args[0] == "--help" || args[0] == "--help-all") return false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (std::find(kValued.begin(), kValued.end(), args[i]) != kValued.end()) {
      ++i;
      continue;
    }
    if (std::find(subcommands.begin(), subcommands.end(), args[i]) != subcommands.end()) return false;
  }
  return true;
}

std::vector<std::string> original_to_check(const std::vector<std::string>& args) {
  std::vector<std::string> out{"check"};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (std::find(kValued.begin(), kValued.end(), a) != kValued.end() && i + 1 < args.size()) {
      out.push_back(a);
      out.push_back(args[++i]);
    } else if (a == "--silent" || a == "-l") {
      out.push_back("--quiet");
    } else if (!a.empty() && a[0] != '-') {
      out.push_back("--policy");  // a rule of the original is a policy of the same name
      out.push_back(a);
    } else {
      out.push_back(a);
    }
  }
  return out;
}

}  // namespace reddalert::cli
