#include <algorithm>
#include <iostream>

#include "app/engine.hpp"
#include "cli/commands.hpp"
#include "cli/original_args.hpp"

int main(int argc, char** argv) {
  CLI::App app{"reddalert: policy checks over Netflix EDDA data", "reddalert"};
  app.require_subcommand(1);
  int exit_code = 0;
  reddalert::cli::add_check(app, exit_code);
  reddalert::cli::add_lint(app, exit_code);
  reddalert::cli::add_fmt(app, exit_code);
  reddalert::cli::add_diff(app, exit_code);
  reddalert::cli::add_explain(app, exit_code);
  reddalert::cli::add_eval(app, exit_code);
  reddalert::cli::add_parse(app, exit_code);
  reddalert::cli::add_test(app, exit_code);
  reddalert::cli::add_doc(app, exit_code);
  reddalert::cli::add_snapshot(app, exit_code);
  reddalert::cli::add_schema(app, exit_code);
  reddalert::cli::add_version(app, exit_code);
  reddalert::cli::add_lsp(app, exit_code);

  std::vector<std::string> args(argv + 1, argv + argc);
  std::vector<std::string> subcommands;
  for (const CLI::App* sub : app.get_subcommands({})) subcommands.push_back(sub->get_name());
  if (reddalert::cli::is_original_invocation(args, subcommands)) args = reddalert::cli::original_to_check(args);
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last to first
  try {
    app.parse(args);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  } catch (const std::exception& e) {
    // A bug or an exhausted resource (std::bad_alloc): one line and the failure code, not
    // std::terminate's abort and core dump.
    std::cerr << "reddalert: internal error: " << e.what() << '\n';
    return reddalert::app::kDataFailure;
  }
  return exit_code;
}
