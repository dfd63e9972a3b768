#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/text.hpp"
#include "check/check.hpp"
#include "syntax/parse.hpp"

namespace reddalert::check {

namespace fs = std::filesystem;

namespace {

class Loader {
 public:
  explicit Loader(Workspace& ws) : ws_(ws) {}

  // Loads `path` (and its imports); returns its module index or -1.
  long load_file(const fs::path& path, const base::Location& from) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    if (ec) canonical = path;
    const std::string key = canonical.string();
    if (const auto it = index_.find(key); it != index_.end()) {
      if (std::find(stack_.begin(), stack_.end(), it->second) != stack_.end()) report_cycle(it->second, from);
      return static_cast<long>(it->second);
    }
    const std::optional<std::string> text = base::read_file(path.string());
    if (!text) {
      ws_.diagnostics.error("E0106", from, "cannot read policy file `" + path.string() + "`",
                            from.known() ? "import paths are relative to the importing file" : "");
      return -1;
    }
    return add(std::make_shared<base::SourceFile>(path.lexically_normal().string(), *text), key);
  }

  long add(base::SourcePtr file, const std::string& key) {
    syntax::ParseResult parsed = syntax::parse(file, ws_.node_count);
    ws_.diagnostics.append(parsed.diagnostics);
    if (!parsed.module) return -1;
    ws_.node_count = parsed.module->end_id;
    const std::size_t index = ws_.modules.size();
    index_[key] = index;
    ws_.modules.push_back({std::move(*parsed.module), {}, false});
    stack_.push_back(index);
    // Copy what we need: loading imports grows ws_.modules and invalidates references.
    std::vector<std::pair<std::string, base::Location>> imports;
    for (const auto& imp : ws_.modules[index].module.imports) {
      if (!imp.path.empty()) imports.emplace_back(imp.path, imp.location);  // empty: E0005 said why
    }
    const fs::path dir = fs::path(file->path()).parent_path();
    std::vector<std::size_t> resolved;
    for (const auto& [rel, loc] : imports) {
      if (rel.find('\0') != std::string::npos) {  // the file system would read a shorter path
        ws_.diagnostics.error("E0106", loc, "an import path cannot contain a NUL byte", "");
        continue;
      }
      const long target = load_file(dir / rel, loc);
      if (target >= 0) resolved.push_back(static_cast<std::size_t>(target));
    }
    ws_.modules[index].imports = std::move(resolved);
    stack_.pop_back();
    return static_cast<long>(index);
  }

 private:
  void report_cycle(std::size_t target, const base::Location& from) {
    std::string chain;
    const auto start = std::find(stack_.begin(), stack_.end(), target);
    for (auto it = start; it != stack_.end(); ++it) chain += ws_.modules[*it].module.source->path() + " -> ";
    chain += ws_.modules[target].module.source->path();
    ws_.diagnostics.error("E0107", from, "import cycle: " + chain,
                          "move the shared declarations into a file that both import");
  }

  Workspace& ws_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::size_t> stack_;
};

}  // namespace

Workspace load(const std::vector<std::string>& paths) {
  Workspace ws;
  Loader loader(ws);
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> files;
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".policy") files.push_back(it->path());
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& f : files) {
        const long i = loader.load_file(f, {});
        if (i >= 0) ws.modules[static_cast<std::size_t>(i)].explicitly_loaded = true;
      }
    } else if (fs::exists(p, ec)) {
      const long i = loader.load_file(p, {});
      if (i >= 0) ws.modules[static_cast<std::size_t>(i)].explicitly_loaded = true;
    } else {
      base::Diagnostic d{base::Severity::Error, "E0106", {}, "no such policy file or directory: " + p, "", {}};
      ws.diagnostics.add(std::move(d));
    }
  }
  return ws;
}

Workspace load_text(const std::string& path, const std::string& text) {
  Workspace ws;
  Loader loader(ws);
  const long i = loader.add(std::make_shared<base::SourceFile>(path, text), path);
  if (i >= 0) ws.modules[static_cast<std::size_t>(i)].explicitly_loaded = true;
  return ws;
}

}  // namespace reddalert::check
