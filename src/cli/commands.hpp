// One function per subcommand; each registers its options on `app` and stores its exit
// code in `exit_code` when it runs.
#pragma once

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/selection.hpp"

namespace reddalert::cli {

void add_check(CLI::App& app, int& exit_code);
void add_lint(CLI::App& app, int& exit_code);
void add_diff(CLI::App& app, int& exit_code);
void add_fmt(CLI::App& app, int& exit_code);
void add_parse(CLI::App& app, int& exit_code);
void add_test(CLI::App& app, int& exit_code);
void add_doc(CLI::App& app, int& exit_code);
void add_snapshot(CLI::App& app, int& exit_code);
void add_version(CLI::App& app, int& exit_code);
void add_lsp(CLI::App& app, int& exit_code);

// Parses a --since/--until value; on failure prints every accepted form and returns nullopt.
std::optional<long long> parse_time_arg(const std::string& option, const std::string& text);
// True when `url` is an http:// or https:// URL; otherwise prints why, in one line that
// names `command` and no secret of the URL.
bool check_edda_arg(const std::string& command, const std::string& url);
// --policy, --tag, --severity and --skip-policy, for `check` and `test`.
void add_selection(CLI::App* cmd, app::Selection& selection);

}  // namespace reddalert::cli
