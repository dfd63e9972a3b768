#include <iostream>

#include "app/engine.hpp"
#include "app/explain.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

void add_eval(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("eval", "Evaluate one expression against the data and print its value");
  struct Args {
    app::EvalOptions options;
    OneOffArgs data;
  };
  auto args = std::make_shared<Args>();
  app::EvalOptions& o = args->options;
  cmd->add_option("expression", o.expression, "An expression, e.g. 'count(g in aws.securityGroups: true)'")->required();
  cmd->add_option("--import", o.imports,
                  "A policy file whose defs, consts and lets the expression may use (repeatable)")
      ->allow_extra_args(false);
  add_one_off(cmd, args->data);
  cmd->add_option("--format", o.format, "text (the value as indented JSON) or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([args, &exit_code] {
    if (!resolve_one_off("eval", args->data)) {
      exit_code = app::kUsage;
      return;
    }
    args->options.data = args->data.request;
    exit_code = app::run_eval(args->options, std::cout, std::cerr);
  });
}

}  // namespace reddalert::cli
