#include <iostream>

#include "cli/commands.hpp"
#include "syntax/parse.hpp"

namespace reddalert::cli {

void add_version(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("version", "Print the version, the supported language versions and build info");
  cmd->callback([&exit_code] {
    std::cout << "reddalert " << REDDALERT_VERSION << "\nlanguage versions:";
    for (const int v : syntax::kSupportedVersions) std::cout << ' ' << v;
    std::cout << "\nbuilt with g++ " << __VERSION__ << ", C++" << __cplusplus / 100 % 100 << '\n';
    exit_code = 0;
  });
}

}  // namespace reddalert::cli
