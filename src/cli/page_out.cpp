#include <fstream>
#include <iostream>

#include "app/engine.hpp"
#include "base/file.hpp"
#include "cli/commands.hpp"

namespace reddalert::cli {

int write_page(const std::string& command, const std::string& page, const std::string& out, bool check,
               const std::string& regenerate) {
  if (out.empty()) {
    std::cout << page;
    return app::kOk;
  }
  if (check) {
    if (base::read_file(out).value_or("") == page) return app::kOk;
    std::cerr << "reddalert " << command << ": " << out << " is stale; run `" << regenerate << "`\n";
    return 1;
  }
  std::ofstream file(out, std::ios::binary | std::ios::trunc);
  file << page;
  if (!file) {
    std::cerr << "reddalert " << command << ": cannot write " << out << '\n';
    return app::kUsage;
  }
  return app::kOk;
}

}  // namespace reddalert::cli
