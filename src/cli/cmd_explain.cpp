#include <iostream>

#include "app/engine.hpp"
#include "app/explain.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

void add_explain(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "explain", "Show how a policy evaluates each binding: what each for bound, each let, each where and its parts");
  struct Args {
    app::ExplainOptions options;
    OneOffArgs data;
  };
  auto args = std::make_shared<Args>();
  app::ExplainOptions& o = args->options;
  cmd->add_option("policy", o.policy, "A policy's name, or a .policy file (each policy it declares)")->required();
  cmd->add_option("paths", o.paths, "Where the named policy is (default: the configuration's, else ./policies)");
  cmd->add_option("-c,--config,--configfile", o.config_path,
                  "Configuration file: its params apply (default: etc/reddalert.yaml when it exists)");
  cmd->add_option("--id", o.id, "Only the bindings whose alert id, or the id of a resource they bound, is this");
  add_one_off(cmd, args->data);
  cmd->add_option("--format", o.format, "text, or json (every value in full)")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--max-bindings", o.max_bindings, "Bindings shown per policy (default 100); the others are counted")
      ->check(CLI::PositiveNumber);
  cmd->callback([args, &exit_code] {
    if (!resolve_one_off("explain", args->data)) {
      exit_code = app::kUsage;
      return;
    }
    args->options.data = args->data.request;
    exit_code = app::run_explain(args->options, std::cout, std::cerr);
  });
}

}  // namespace reddalert::cli
