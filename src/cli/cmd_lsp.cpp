#include <iostream>

#include "cli/commands.hpp"
#include "lsp/server.hpp"

namespace reddalert::cli {

void add_lsp(CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("lsp", "Serve the Language Server Protocol on standard input and output (for editors)");
  auto stdio = std::make_shared<bool>(false);
  // Editors' clients (vscode-languageclient) pass --stdio when they speak over pipes,
  // which is the only transport: accepted and otherwise ignored.
  cmd->add_flag("--stdio", *stdio, "Talk over standard input and output (the default and only transport)");
  cmd->callback([stdio, &exit_code] {  // `stdio` captured: the flag writes to it when parsing
    (void)stdio;
    // Standard output carries the protocol alone; every log line goes to standard error.
    std::ios::sync_with_stdio(false);
    lsp::Transport transport(std::cin, std::cout);
    lsp::Server server(transport, std::cerr);
    exit_code = server.run();
  });
}

}  // namespace reddalert::cli
