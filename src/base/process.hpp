// Another program run without a shell: its argument vector is passed as it is, so no
// argument (a revision, a path) is ever split or interpreted. Used to ask git for a
// revision's files (app/revision.cpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace reddalert::base {

struct ProcessOptions {
  std::string stdin_path = "/dev/null";             // the file the program reads as its standard input
  std::size_t max_output = std::size_t{256} << 20;  // per stream; past it the program is killed
};

struct ProcessResult {
  int exit_code = -1;  // the program's exit status; -1 when it could not start or was killed
  std::string out;
  std::string err;
  std::string failure;  // why it did not run to its end ("cannot run git: No such file..."); empty: it did
};

// Runs argv[0] (found on PATH) with argv, reading both of its outputs to their end, each
// up to `max_output` bytes.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

}  // namespace reddalert::base
