#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"reddalert: policy checks over Netflix EDDA data"};
  app.require_subcommand(1);
  int exit_code = 0;
  reddalert::cli::add_check(app, exit_code);
  reddalert::cli::add_lint(app, exit_code);
  reddalert::cli::add_parse(app, exit_code);
  reddalert::cli::add_test(app, exit_code);
  reddalert::cli::add_doc(app, exit_code);
  reddalert::cli::add_snapshot(app, exit_code);
  reddalert::cli::add_version(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  return exit_code;
}
