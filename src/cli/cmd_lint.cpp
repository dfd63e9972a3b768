#include <unistd.h>

#include <iostream>

#include "app/pipeline.hpp"
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
  cmd->add_option("--format", args->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--strict", args->strict, "Exit 1 when there are warnings");
  cmd->callback([args, &exit_code] {
    app::Loaded loaded = app::load({args->paths, args->config, {}});
    // Compiling catches what needs values: constants that cannot be computed.
    if (!loaded.diagnostics.has_errors()) {
      loaded.diagnostics.append(compile::compile(loaded.checked.program, &loaded.selected).diagnostics);
    }
    app::print_diagnostics(loaded.diagnostics, args->format, std::cout, std::cerr, isatty(STDERR_FILENO));
    const auto errors = loaded.diagnostics.error_count(), warnings = loaded.diagnostics.warning_count();
    if (args->format == "text") {
      std::cerr << "reddalert lint: " << loaded.checked.program.policies.size() << " policies in "
                << loaded.workspace.modules.size() << " files, " << errors << " error(s), " << warnings
                << " warning(s)\n";
    }
    exit_code = errors ? app::kUsage : (warnings && args->strict) ? 1 : 0;
  });
}

}  // namespace reddalert::cli
