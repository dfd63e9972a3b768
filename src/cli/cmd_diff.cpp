#include <iostream>

#include "app/diff_run.hpp"
#include "app/engine.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

void add_diff(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "diff", "Evaluate the policies at a git revision and in the working tree on the same data; print what changes");
  struct Args {
    app::DiffOptions options;
    OneOffArgs data;
  };
  auto args = std::make_shared<Args>();
  app::DiffOptions& o = args->options;
  cmd->add_option("--base", o.base, "The git revision to compare with, e.g. origin/main or HEAD~1")->required();
  cmd->add_option("paths", o.paths, "Policy files or directories (default: the configuration's, else ./policies)");
  cmd->add_option("-c,--config,--configfile", o.config_path,
                  "Configuration file, read at both sides (default: etc/reddalert.yaml when it exists)");
  add_one_off(cmd, args->data);
  cmd->add_option("--format", o.format, "text, markdown (a pull-request comment) or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  cmd->add_option("--max-alerts", o.max_alerts, "markdown: alerts listed per policy and kind (default 10)")
      ->check(CLI::PositiveNumber);
  cmd->callback([args, &exit_code] {
    if (!resolve_one_off("diff", args->data)) {
      exit_code = app::kUsage;
      return;
    }
    args->options.data = args->data.request;
    exit_code = app::run_diff(args->options, std::cout, std::cerr);
  });
}

}  // namespace reddalert::cli
