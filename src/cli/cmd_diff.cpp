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
    std::string since, until;
  };
  auto args = std::make_shared<Args>();
  app::DiffOptions& o = args->options;
  cmd->add_option("--base", o.base, "The git revision to compare with, e.g. origin/main or HEAD~1")->required();
  cmd->add_option("paths", o.paths, "Policy files or directories (default: the configuration's, else ./policies)");
  cmd->add_option("-c,--config,--configfile", o.config_path,
                  "Configuration file, read at both sides (default: etc/reddalert.yaml when it exists)");
  cmd->add_option("--snapshot", o.snapshot, "Snapshot directory to read");
  cmd->add_option("-e,--edda", o.edda, "A live EDDA, e.g. http://edda:8080/edda");
  cmd->add_option("-s,--since", args->since, "Window start (default: the snapshot's, else 0)");
  cmd->add_option("-u,--until", args->until, "Window end (default: the snapshot's capture time, else now minus 5m)");
  cmd->add_option("--format", o.format, "text, markdown (a pull-request comment) or json")
      ->check(CLI::IsMember({"text", "markdown", "json"}));
  cmd->add_option("--max-alerts", o.max_alerts, "markdown: alerts listed per policy and kind (default 10)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("-j,--jobs", o.jobs, "Threads for reading and evaluating")->check(CLI::Range(1U, 64U));
  cmd->callback([args, &exit_code] {
    app::DiffOptions& o = args->options;
    if (!o.edda.empty() && !check_edda_arg("diff", o.edda)) {
      exit_code = app::kUsage;
      return;
    }
    for (auto [text, into] : {std::pair{&args->since, &o.since}, std::pair{&args->until, &o.until}}) {
      if (text->empty()) continue;
      const auto t = parse_time_arg(into == &o.since ? "--since" : "--until", *text);
      if (!t) {
        exit_code = app::kUsage;
        return;
      }
      *into = *t;
    }
    exit_code = app::run_diff(o, std::cout, std::cerr);
  });
}

}  // namespace reddalert::cli
