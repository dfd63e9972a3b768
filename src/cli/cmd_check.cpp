#include <unistd.h>

#include <iostream>

#include "app/check_run.hpp"
#include "app/engine.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

void add_check(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("check", "Load policies, read data, evaluate and print alerts");
  struct Args {
    std::vector<std::string> paths;
    std::string config, snapshot, edda, state, since, until, format = "text";
    bool all = false, learn = false, dry_run = false, store_until = false, no_store_until = false;
    std::string output;
    std::string fail_on;
    bool quiet = false, verbose = false, no_waivers = false, exit_zero = false, show_resolved = false;
    unsigned jobs = 0;
    std::uint64_t max_steps = 0;
    app::Selection selection;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("paths", args->paths, "Policy files or directories (default: ./policies)");
  cmd->add_option("-c,--config,--configfile", args->config,
                  "Configuration file (default: etc/reddalert.yaml when it exists)");
  cmd->add_option("-e,--edda", args->edda, "A live EDDA, e.g. http://edda:8080/edda (its context path included)");
  cmd->add_option("--snapshot", args->snapshot, "Snapshot directory to read instead of a live EDDA");
  cmd->add_option("-f,--state,--statusfile", args->state, "Status file: memory between runs (default: config `state`)");
  cmd->add_option("-o,--output", args->output,
                  "Outputs, e.g. stdout,email,elasticsearch (overrides the configuration)");
  cmd->add_flag("--all", args->all, "Emit alerts that earlier runs already emitted, too");
  cmd->add_flag("--learn", args->learn, "Record state, emit nothing (a first run against a large estate)");
  cmd->add_flag("--dry-run", args->dry_run, "Evaluate and print; commit no state");
  cmd->add_flag("--store-until", args->store_until, "Start the next window where this one ends (the default)");
  cmd->add_flag("--no-store-until", args->no_store_until, "Keep the status file's window start");
  cmd->add_option("-s,--since", args->since, "Window start: epoch ms, ISO 8601, 'YYYY-MM-DD HH:MM:SS' or -6h");
  cmd->add_option("-u,--until", args->until, "Window end (default: the snapshot's capture time, else now minus 5m)");
  add_selection(cmd, args->selection);
  cmd->add_option("--fail-on", args->fail_on,
                  "Exit 1 only for alerts at this severity or above (info, low, medium, high, critical); "
                  "the others are still reported");
  cmd->add_option("--control", args->selection.controls,
                  "Run only the policies mapped to this framework in their `controls`, e.g. cis-aws-3.0 "
                  "(repeatable, or ID,ID)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--format", args->format, "Standard output format")
      ->check(CLI::IsMember({"text", "json", "ndjson", "sarif", "junit", "tsv", "compliance", "compliance-json"}));
  cmd->add_flag("--no-waivers", args->no_waivers, "Ignore the configuration's waivers: report waived alerts too");
  cmd->add_flag("--show-resolved", args->show_resolved,
                "Text: list the alerts that resolved since the last run too (machine formats always carry them)");
  cmd->add_flag("--exit-zero", args->exit_zero, "Exit 0, not 1, when alerts were emitted (errors still count)");
  cmd->add_flag("-q,--quiet,-l,--silent", args->quiet, "No summary on standard error");
  cmd->add_flag("-v,--verbose", args->verbose, "Log the window, each waived and repeated alert, and the commit");
  cmd->add_option("-j,--jobs", args->jobs,
                  "Threads for reading and evaluating (default: config `limits.jobs`, else one per core); "
                  "the output is the same for any number")
      ->check(CLI::Range(1U, 64U));
  cmd->add_option("--max-steps", args->max_steps,
                  "Evaluation steps one document may take before it is a run-time problem "
                  "(default: config `limits.max_steps`, else 10000000)")
      ->check(CLI::PositiveNumber);
  cmd->callback([args, &exit_code] {
    app::CheckOptions o;
    o.paths = args->paths;
    o.config_path = args->config;
    o.snapshot = args->snapshot;
    if (!args->edda.empty() && !check_edda_arg("check", args->edda)) {
      exit_code = app::kUsage;
      return;
    }
    o.edda = args->edda;
    for (std::size_t start = 0; start < args->output.size();) {
      const std::size_t comma = std::min(args->output.find(',', start), args->output.size());
      if (comma > start) o.outputs.push_back(args->output.substr(start, comma - start));
      start = comma + 1;
    }
    o.progress = isatty(STDERR_FILENO);
    o.state_path = args->state;
    o.all = args->all;
    o.learn = args->learn;
    o.dry_run = args->dry_run;
    if (args->store_until) o.store_until = true;
    if (args->no_store_until) o.store_until = false;
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
    o.selection = args->selection;
    o.fail_on = args->fail_on;
    o.format = args->format;
    o.quiet = args->quiet;
    o.verbose = args->verbose;
    o.waivers = !args->no_waivers;
    o.exit_zero = args->exit_zero;
    o.show_resolved = args->show_resolved;
    o.jobs = args->jobs;
    if (args->max_steps > 0) o.max_steps = args->max_steps;
    o.color = isatty(STDOUT_FILENO) && args->format == "text";
    exit_code = app::run_check(o, std::cout, std::cerr);
  });
}

}  // namespace reddalert::cli
