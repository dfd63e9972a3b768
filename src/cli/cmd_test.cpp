#include <unistd.h>

#include <iostream>

#include "app/test_runner.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

void add_test(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("test", "Run the policy test cases of *_test.yaml files");
  auto options = std::make_shared<app::TestOptions>();
  cmd->add_option("paths", options->paths, "Policy files, test files or directories (default: ./policies)");
  cmd->add_option("--format", options->format, "text, or junit (JUnit XML on standard output)")
      ->check(CLI::IsMember({"text", "junit"}));
  cmd->add_flag("--coverage", options->coverage,
                "List policies without tests and where clauses never both true and false; exit 1 unless complete");
  cmd->add_flag("-q,--quiet", options->quiet, "Print only the failing cases and the summary");
  cmd->add_option("-c,--config,--configfile", options->config_path,
                  "Configuration whose params the cases with `config_params: true` use (default: etc/reddalert.yaml)");
  cmd->add_flag("--allow-empty", options->allow_empty, "Exit 0, not 1, when no test case ran");
  add_selection(cmd, options->selection);
  cmd->callback([options, &exit_code] {
    options->color = isatty(STDOUT_FILENO) && options->format == "text";
    exit_code = app::run_tests(*options, std::cout, std::cerr);
  });
}

}  // namespace reddalert::cli
