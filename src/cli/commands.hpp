// One function per subcommand; each registers its options on `app` and stores its exit
// code in `exit_code` when it runs.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/one_off.hpp"
#include "app/selection.hpp"

namespace reddalert::cli {

void add_check(CLI::App& app, int& exit_code);
void add_lint(CLI::App& app, int& exit_code);
void add_diff(CLI::App& app, int& exit_code);
void add_explain(CLI::App& app, int& exit_code);
void add_eval(CLI::App& app, int& exit_code);
void add_fmt(CLI::App& app, int& exit_code);
void add_parse(CLI::App& app, int& exit_code);
void add_test(CLI::App& app, int& exit_code);
void add_doc(CLI::App& app, int& exit_code);
void add_snapshot(CLI::App& app, int& exit_code);
void add_schema(CLI::App& app, int& exit_code);
void add_version(CLI::App& app, int& exit_code);
void add_lsp(CLI::App& app, int& exit_code);

// Parses a --since/--until value; on failure prints every accepted form and returns nullopt.
std::optional<long long> parse_time_arg(const std::string& option, const std::string& text);
// True when `url` is an http:// or https:// URL; otherwise prints why, in one line that
// names `command` and no secret of the URL.
bool check_edda_arg(const std::string& command, const std::string& url);
// A generated page (`doc`, `schema --format markdown`) to standard output, or to `out`; with
// `check`, compared with `out` instead, naming the `regenerate` command when it is stale.
// Returns the exit code: 0, 1 stale, 2 `out` cannot be written.
int write_page(const std::string& command, const std::string& page, const std::string& out, bool check,
               const std::string& regenerate);
// --policy, --tag, --severity and --skip-policy, for `check` and `test`.
void add_selection(CLI::App* cmd, app::Selection& selection);

// --snapshot, --edda, --since, --until and --jobs, for `diff`, `explain` and `eval`.
struct OneOffArgs {
  app::OneOffRequest request;
  std::string since, until;  // as written; resolve_one_off parses them into `request`
};
void add_one_off(CLI::App* cmd, OneOffArgs& args);
// False, with why printed, when the EDDA URL or a time is not valid.
bool resolve_one_off(const std::string& command, OneOffArgs& args);

}  // namespace reddalert::cli
