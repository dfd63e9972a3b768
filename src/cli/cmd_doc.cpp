#include <iostream>
#include <sstream>

#include "app/engine.hpp"
#include "app/policy_doc.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

void add_doc(CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("doc", "Write the reference page of the policies (docs/policies.md) from their metadata");
  struct Args {
    std::vector<std::string> paths;
    std::string out;
    bool check = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("paths", args->paths, "Policy directories (default: ./policies)");
  cmd->add_option("-o,--out", args->out, "Write to this file instead of standard output");
  cmd->add_flag("--check", args->check, "With --out: exit 1 when the file differs from what would be written");
  cmd->callback([args, &exit_code] {
    std::ostringstream page;
    exit_code = app::write_policy_doc(args->paths, page, std::cerr);
    if (exit_code != 0) return;
    exit_code = write_page("doc", page.str(), args->out, args->check,
                           "reddalert doc " + (args->paths.empty() ? std::string("policies") : args->paths.front()) +
                               " --out " + args->out);
  });
}

}  // namespace reddalert::cli
