// --snapshot, --edda, --since, --until and --jobs: the data of a one-off evaluation, with the
// same meaning for `diff`, `explain` and `eval` (app/one_off.hpp).
#include "cli/commands.hpp"

namespace reddalert::cli {

void add_one_off(CLI::App* cmd, OneOffArgs& args) {
  app::OneOffRequest& r = args.request;
  cmd->add_option("--snapshot", r.snapshot, "Snapshot directory to read");
  cmd->add_option("-e,--edda", r.edda, "A live EDDA, e.g. http://edda:8080/edda");
  cmd->add_option("-s,--since", args.since, "Window start (default: the snapshot's, else 0)");
  cmd->add_option("-u,--until", args.until, "Window end (default: the snapshot's capture time, else now minus 5m)");
  cmd->add_option("-j,--jobs", r.jobs, "Threads for reading and evaluating")->check(CLI::Range(1U, 64U));
}

bool resolve_one_off(const std::string& command, OneOffArgs& args) {
  app::OneOffRequest& r = args.request;
  if (!r.edda.empty() && !check_edda_arg(command, r.edda)) return false;
  for (auto [text, into] : {std::pair{&args.since, &r.since}, std::pair{&args.until, &r.until}}) {
    if (text->empty()) continue;
    const auto t = parse_time_arg(into == &r.since ? "--since" : "--until", *text);
    if (!t) return false;
    *into = *t;
  }
  return true;
}

}  // namespace reddalert::cli
