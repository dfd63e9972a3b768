#include <unistd.h>

#include <iostream>

#include "app/check_run.hpp"
#include "app/pipeline.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

void add_check(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("check", "Load policies, read data, evaluate and print alerts");
  struct Args {
    std::vector<std::string> paths;
    std::string config, snapshot, since, until, format = "text";
    std::vector<std::string> policies;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("paths", args->paths, "Policy files or directories (default: ./policies)");
  cmd->add_option("-c,--config,--configfile", args->config,
                  "Configuration file (default: etc/reddalert.yaml when it exists)");
  cmd->add_option("--snapshot", args->snapshot, "Snapshot directory to read instead of a live EDDA");
  cmd->add_option("-s,--since", args->since, "Window start: epoch ms, ISO 8601, 'YYYY-MM-DD HH:MM:SS' or -6h");
  cmd->add_option("-u,--until", args->until, "Window end (default: the snapshot's capture time, else now minus 5m)");
  cmd->add_option("--policy", args->policies, "Run only this policy (repeatable)");
  cmd->add_option("--format", args->format, "Standard output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("-q,--quiet,-l,--silent", args->quiet, "No summary on standard error");
  cmd->callback([args, &exit_code] {
    app::CheckOptions o;
    o.paths = args->paths;
    o.config_path = args->config;
    o.snapshot = args->snapshot;
    if (!args->since.empty()) {
      const auto t = parse_time_arg("--since", args->since);
      if (!t) {
        exit_code = app::kUsage;
        return;
      }
      o.since = *t;
    }
    if (!args->until.empty()) {
      const auto t = parse_time_arg("--until", args->until);
      if (!t) {
        exit_code = app::kUsage;
        return;
      }
      o.until = *t;
    }
    o.policies.insert(args->policies.begin(), args->policies.end());
    o.format = args->format;
    o.quiet = args->quiet;
    o.color = isatty(STDOUT_FILENO) && args->format == "text";
    exit_code = app::run_check(o, std::cout, std::cerr);
  });
}

}  // namespace reddalert::cli
