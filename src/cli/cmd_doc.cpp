#include <iostream>
#include <sstream>

#include "app/coverage_doc.hpp"
#include "app/engine.hpp"
#include "app/policy_doc.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

void add_doc(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("doc",
                                 "Write the reference page of the policies (docs/policies.md) from their metadata, "
                                 "or with --coverage the controls they decide (docs/coverage.md)");
  struct Args {
    std::vector<std::string> paths;
    std::string out;
    bool check = false;
    bool coverage = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("paths", args->paths, "Policy directories (default: ./policies)");
  cmd->add_option("-o,--out", args->out, "Write to this file instead of standard output");
  cmd->add_flag("--check", args->check, "With --out: exit 1 when the file differs from what would be written");
  cmd->add_flag("--coverage", args->coverage,
                "The coverage page instead: each CIS and Prowler control with the policies that decide it");
  cmd->callback([args, &exit_code] {
    std::ostringstream page;
    exit_code = args->coverage ? app::write_coverage_doc(args->paths, page, std::cerr)
                               : app::write_policy_doc(args->paths, page, std::cerr);
    if (exit_code != 0) return;
    exit_code = write_page("doc", page.str(), args->out, args->check,
                           "reddalert doc " + (args->paths.empty() ? std::string("policies") : args->paths.front()) +
                               (args->coverage ? " --coverage" : "") + " --out " + args->out);
  });
}

}  // namespace reddalert::cli
