// --policy, --tag, --severity and --skip-policy: the same options, with the same meaning,
// for `check` and `test` (app/selection.hpp).
#include "cli/commands.hpp"

namespace reddalert::cli {

void add_selection(CLI::App* cmd, app::Selection& selection) {
  // One entry per occurrence (a path after it stays a path), entries separated by commas.
  cmd->add_option("--policy", selection.policies, "Only this policy (repeatable, or NAME,NAME; globs: 'iam-*')")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--tag", selection.tags, "Only policies with this tag (repeatable, or TAG,TAG: any of them)")
      ->delimiter(',')
      ->allow_extra_args(false);
  cmd->add_option("--severity", selection.severity,
                  "Only policies at this severity or above (info, low, medium, high, critical)");
  cmd->add_option("--skip-policy", selection.skip, "Leave this policy out (repeatable, or NAME,NAME; globs)")
      ->delimiter(',')
      ->allow_extra_args(false);
}

}  // namespace reddalert::cli
