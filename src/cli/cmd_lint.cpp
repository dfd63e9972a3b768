#include <unistd.h>

#include <iostream>

#include "app/case_runner.hpp"
#include "app/engine.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

void add_lint(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("lint", "Check policies without reading any data; print every diagnostic, sorted");
  struct Args {
    std::vector<std::string> paths;
    std::string config, format = "text";
    bool strict = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("paths", args->paths, "Policy files or directories (default: ./policies)");
  cmd->add_option("-c,--config,--configfile", args->config,
                  "Configuration file (default: etc/reddalert.yaml when it exists)");
  cmd->add_option("--format", args->format, "text, json, github, sarif or junit")
      ->check(CLI::IsMember(
          std::vector<std::string>(std::begin(app::kDiagnosticFormats), std::end(app::kDiagnosticFormats))));
  cmd->add_flag("--strict", args->strict, "Exit 1 when there are warnings");
  cmd->callback([args, &exit_code] {
    app::LoadRequest request;
    request.paths = args->paths;
    request.config_path = args->config;
    const app::Engine engine(request);
    base::Diagnostics diagnostics = engine.lint();
    // The policies' test files too: a test that names no policy or misspells its data.
    app::load_test_files(engine, engine.loaded().paths, diagnostics);
    app::print_diagnostics(diagnostics, args->format, std::cout, std::cerr, isatty(STDERR_FILENO));
    const auto errors = diagnostics.error_count(), warnings = diagnostics.warning_count();
    if (args->format == "text") {
      std::cerr << "reddalert lint: " << engine.program().policies.size() << " policies in "
                << engine.loaded().workspace.modules.size() << " files, " << errors << " error(s), " << warnings
                << " warning(s)\n";
    }
    exit_code = errors ? app::kUsage : (warnings && args->strict) ? 1 : 0;
  });
}

}  // namespace reddalert::cli
