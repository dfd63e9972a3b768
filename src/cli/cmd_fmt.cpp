// `reddalert fmt`: rewrite policy files in the canonical layout (docs/cli.md, "fmt").
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "app/engine.hpp"
#include "base/file.hpp"
#include "cli/commands.hpp"
#include "format/diff.hpp"
#include "format/format.hpp"

namespace reddalert::cli {

namespace {

namespace fs = std::filesystem;

// The files to format: `-`, files as named, and the *.policy files below each directory
// (sorted by path, symlinked directories not followed).
std::vector<std::string> expand(const std::vector<std::string>& paths, bool& failed) {
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (p != "-" && fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->path().extension() == ".policy" && it->is_regular_file(ec)) found.push_back(it->path().string());
      }
      if (ec) {
        std::cerr << "reddalert: cannot read the directory " << p << ": " << ec.message() << '\n';
        failed = true;
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  return files;
}

}  // namespace

void add_fmt(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("fmt", "Rewrite policy files in the canonical layout");
  struct Args {
    std::vector<std::string> paths;
    bool check = false, diff = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("paths", args->paths, "Policy files or directories, - for standard input (default: ./policies)");
  cmd->add_flag("--check", args->check, "List the files that are not formatted, change nothing; exit 1 if any");
  cmd->add_flag("--diff", args->diff, "Print what formatting would change as a unified diff; exit 1 if anything");
  cmd->callback([args, &exit_code] {
    bool failed = false, differs = false;
    const std::vector<std::string> files =
        expand(args->paths.empty() ? std::vector<std::string>{"policies"} : args->paths, failed);
    for (const std::string& path : files) {
      std::string text, why;
      if (path == "-") {
        // Standard input is read up to the size of any policy file (base::kMaxTextFile).
        char buffer[1 << 16];
        while (text.size() <= base::kMaxTextFile && std::cin.read(buffer, sizeof buffer).gcount() > 0)
          text.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
        if (text.size() > base::kMaxTextFile) {
          std::cerr << "reddalert: cannot read standard input: it is larger than 16 MiB\n";
          failed = true;
          continue;
        }
      } else if (auto read = base::read_file(path, &why)) {
        text = std::move(*read);
      } else {
        std::cerr << "reddalert: cannot read " << path << ": " << why << '\n';
        failed = true;
        continue;
      }
      const auto source = std::make_shared<base::SourceFile>(path == "-" ? "<stdin>" : path, text);
      const format::FormatResult result = format::format(source);
      if (!result.text) {
        app::print_diagnostics(result.diagnostics, "text", std::cout, std::cerr, isatty(STDERR_FILENO));
        failed = true;
        continue;
      }
      const bool changed = *result.text != text;
      differs = differs || changed;
      if (args->check && changed) std::cout << path << '\n';
      if (args->diff) std::cout << format::unified_diff(text, *result.text, path == "-" ? "<stdin>" : path);
      if (args->check || args->diff) continue;
      if (path == "-") {
        std::cout << *result.text;
      } else if (changed) {
        // Through a symlink to the file it names, whose permissions the new text keeps.
        std::error_code ec;
        const fs::path target = fs::canonical(path, ec);
        const std::string problem = base::write_file_atomic(ec ? path : target.string(), *result.text);
        if (!problem.empty()) {
          std::cerr << "reddalert: " << problem << '\n';
          failed = true;
        }
      }
    }
    exit_code = failed ? app::kUsage : differs && (args->check || args->diff) ? 1 : 0;
  });
}

}  // namespace reddalert::cli
