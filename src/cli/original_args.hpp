// The original reddalert's command line, kept working (cli.md section 1):
//   reddalert --configfile F --statusfile F [--since T] [--until T] [--edda URL]
//             [--output LIST] [--silent] [rule ...]
// is `check` on the configured policies, restricted to the named rules (policy names; an
// unknown one is an error, not silently ignored).
#pragma once

#include <string>
#include <vector>

namespace reddalert::cli {

// True when `args` (without the program name) is an original-style invocation: it starts
// with an option and names no subcommand.
bool is_original_invocation(const std::vector<std::string>& args, const std::vector<std::string>& subcommands);
// The same invocation as `check` arguments.
std::vector<std::string> original_to_check(const std::vector<std::string>& args);

}  // namespace reddalert::cli
