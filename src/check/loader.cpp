// Reads the policy files named or found below the given paths and the files they import,
// each once, into a Workspace; refuses imports that cycle, nest too deep or resolve outside
// the policy root.
#include <algorithm>
#include <filesystem>

#include "base/file.hpp"
#include "check/check.hpp"
#include "syntax/parse.hpp"

namespace reddalert::check {

namespace fs = std::filesystem;

namespace {

// Imports are not transitive, so a longer chain serves nothing; each level is a recursion
// of the loader.
constexpr std::size_t kMaxImportDepth = 64;

// `path` with its symlinks resolved as far as it exists, made absolute.
fs::path resolved(const fs::path& path) {
  std::error_code ec;
  // Absolute first: of a relative path none of whose parts exists, weakly_canonical()
  // returns the relative path itself, which is inside no root.
  const fs::path absolute = fs::absolute(path, ec);
  if (ec) return path.lexically_normal();
  fs::path r = fs::weakly_canonical(absolute, ec);
  return (ec ? absolute : r).lexically_normal();
}

bool inside(const fs::path& file, const fs::path& dir) {
  auto f = file.begin();
  for (auto d = dir.begin(); d != dir.end(); ++d, ++f) {
    if (d->empty()) continue;  // a trailing separator
    if (f == file.end() || *f != *d) return false;
  }
  return true;
}

// The directory a file was named in or found below, as resolved and as the user wrote it.
struct Root {
  fs::path dir;
  std::string shown;
};

// The policy root of `named` (a path given to load()): the widest of `trees` (the policy
// directories, resolved) that holds it, else `own` (the directory named, or a named file's
// directory). So `lint policies/ec2` and `test policies/ec2/x.policy` let their files
// import `../lib/aws.policy`, as `lint policies` does.
Root root_of(const fs::path& named, const std::vector<Root>& trees, Root own) {
  const fs::path real = resolved(named);
  const Root* widest = nullptr;
  for (const Root& t : trees) {
    if (inside(real, t.dir) &&
        (!widest || std::distance(t.dir.begin(), t.dir.end()) < std::distance(widest->dir.begin(), widest->dir.end())))
      widest = &t;
  }
  return widest ? *widest : own;
}

class Loader {
 public:
  Loader(Workspace& ws, std::vector<fs::path> import_paths) : ws_(ws), import_paths_(std::move(import_paths)) {}

  // Loads `path` (and its imports), named in or found below `root`; `from` is the import
  // statement naming it (unknown for a file named or found), `confined` whether it must
  // resolve inside the root. Returns its module index or -1.
  long load_file(const fs::path& path, const base::Location& from, const Root& root, bool confined) {
    const fs::path real = resolved(path);
    if (confined && !allowed(real, root, from.known())) {
      // Refused before it is read: nothing of its content reaches a diagnostic.
      if (from.known()) {
        ws_.diagnostics.error("E0122", from,
                              "import `" + path.string() + "` resolves outside the policy root `" + root.shown + "`",
                              "imports stay inside the policy tree the named path is in (the configuration's "
                              "`policies:`, else ./policies), else inside the directory named; the "
                              "configuration's `import_paths:` can allow another directory");
      } else {
        ws_.diagnostics.add({base::Severity::Error,
                             "E0122",
                             {},
                             "policy file `" + path.string() + "` resolves outside the policy root `" + root.shown +
                                 "` (to " + real.string() + ")",
                             "a symlink in the policy directory leads out of it",
                             {}});
      }
      return -1;
    }
    const std::string key = real.string();
    if (const auto it = index_.find(key); it != index_.end()) {
      if (std::find(stack_.begin(), stack_.end(), it->second) != stack_.end()) report_cycle(it->second, from);
      return static_cast<long>(it->second);
    }
    if (stack_.size() >= kMaxImportDepth) {
      report_depth(path, from);
      return -1;
    }
    std::string why;
    const std::optional<std::string> text = base::read_file(path.string(), &why);
    if (!text) {
      ws_.diagnostics.error("E0106", from, "cannot read policy file `" + path.string() + "`: " + why,
                            from.known() ? "import paths are relative to the importing file" : "");
      return -1;
    }
    return add(std::make_shared<base::SourceFile>(path.lexically_normal().string(), *text), key, root);
  }

  long add(base::SourcePtr file, const std::string& key, const Root& root) {
    syntax::ParseResult parsed = syntax::parse(file, ws_.node_count);
    ws_.diagnostics.append(parsed.diagnostics);
    if (!parsed.module) return -1;
    ws_.node_count = parsed.module->end_id;
    const std::size_t index = ws_.modules.size();
    index_[key] = index;
    ws_.modules.push_back({.module = std::move(*parsed.module),
                           .imports = {},
                           .explicitly_loaded = false,
                           .found_below = -1,
                           .import_failed = false});
    stack_.push_back(index);
    // Copy what we need: loading imports grows ws_.modules and invalidates references.
    std::vector<std::pair<std::string, base::Location>> imports;
    for (const auto& imp : ws_.modules[index].module.imports) {
      if (!imp.path.empty()) imports.emplace_back(imp.path, imp.location);  // empty: E0005 said why
    }
    const fs::path dir = fs::path(file->path()).parent_path();
    std::vector<ResolvedImport> resolved;
    bool failed = imports.size() != ws_.modules[index].module.imports.size();
    for (const auto& [rel, loc] : imports) {
      if (rel.find('\0') != std::string::npos) {  // the file system would read a shorter path
        ws_.diagnostics.error("E0106", loc, "an import path cannot contain a NUL byte", "");
        failed = true;
        continue;
      }
      const long target = load_file(dir / rel, loc, root, true);
      if (target >= 0)
        resolved.push_back({.module = static_cast<std::size_t>(target), .location = loc});
      else
        failed = true;
    }
    ws_.modules[index].imports = std::move(resolved);
    ws_.modules[index].import_failed = failed;
    stack_.pop_back();
    return static_cast<long>(index);
  }

 private:
  bool allowed(const fs::path& real, const Root& root, bool imported) const {
    if (inside(real, root.dir)) return true;
    return imported && std::any_of(import_paths_.begin(), import_paths_.end(),
                                   [&](const fs::path& dir) { return inside(real, dir); });
  }

  std::string chain_from(std::vector<std::size_t>::const_iterator start) const {
    std::string chain;
    for (auto it = start; it != stack_.end(); ++it) chain += ws_.modules[*it].module.source->path() + " -> ";
    return chain;
  }

  void report_cycle(std::size_t target, const base::Location& from) {
    const auto start = std::find(stack_.begin(), stack_.end(), target);
    ws_.diagnostics.error("E0107", from,
                          "import cycle: " + chain_from(start) + ws_.modules[target].module.source->path(),
                          "move the shared declarations into a file that both import");
  }

  // The chain's first and last files; the middle would be a page long.
  void report_depth(const fs::path& path, const base::Location& from) {
    std::string chain;
    for (std::size_t i = 0; i < 3; ++i) chain += ws_.modules[stack_[i]].module.source->path() + " -> ";
    chain += "... (" + std::to_string(stack_.size() - 5) + " more) -> " + chain_from(stack_.end() - 2) +
             path.lexically_normal().string();
    ws_.diagnostics.error("E0121", from,
                          "imports nest more than " + std::to_string(kMaxImportDepth) + " files deep: " + chain,
                          "import the shared files directly: imports are not transitive");
  }

  Workspace& ws_;
  std::vector<fs::path> import_paths_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::size_t> stack_;
};

std::vector<fs::path> resolved_all(const std::vector<std::string>& dirs) {
  std::vector<fs::path> out;
  for (const std::string& d : dirs) out.push_back(resolved(d));
  return out;
}

// The policy directories that exist as directories (a file in `policies:` is no tree).
std::vector<Root> trees_of(const std::vector<std::string>& policy_dirs) {
  std::vector<Root> out;
  for (const std::string& d : policy_dirs) {
    std::error_code ec;
    if (fs::is_directory(d, ec)) out.push_back({resolved(d), fs::path(d).lexically_normal().string()});
  }
  return out;
}

// The directory of a file named, `.` for a bare file name.
fs::path directory_of(const std::string& path) {
  return fs::path(path).has_parent_path() ? fs::path(path).parent_path() : fs::path(".");
}

}  // namespace

Workspace load(const std::vector<std::string>& paths, const std::vector<std::string>& import_paths,
               const std::vector<std::string>& policy_dirs) {
  Workspace ws;
  Loader loader(ws, resolved_all(import_paths));
  const std::vector<Root> trees = trees_of(policy_dirs);
  const auto explicitly = [&](long i) {
    if (i >= 0) ws.modules[static_cast<std::size_t>(i)].explicitly_loaded = true;
  };
  for (const std::string& p : paths) {
    std::error_code ec;
    const fs::file_status status = fs::status(p, ec);
    if (fs::is_directory(status)) {
      std::vector<fs::path> files;
      auto it = fs::recursive_directory_iterator(p, ec);
      for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code file_ec;
        if (it->is_regular_file(file_ec) && it->path().extension() == ".policy") files.push_back(it->path());
      }
      if (ec)
        ws.diagnostics.add({base::Severity::Error, "E0106", {}, "cannot list " + p + ": " + ec.message(), "", {}});
      std::sort(files.begin(), files.end());
      const Root root = root_of(p, trees, {resolved(p), p});
      for (const fs::path& f : files) {
        const long i = loader.load_file(f, {}, root, true);
        explicitly(i);
        if (i >= 0) ws.modules[static_cast<std::size_t>(i)].found_below = static_cast<int>(&p - paths.data());
      }
    } else if (fs::exists(status)) {
      const fs::path dir = directory_of(p);
      explicitly(loader.load_file(p, {}, root_of(p, trees, {resolved(dir), dir.string()}), false));
    } else {
      const std::string message =
          ec ? "cannot read policy path " + p + ": " + ec.message() : "no such policy file or directory: " + p;
      ws.diagnostics.add({base::Severity::Error, "E0106", {}, message, "", {}});
    }
  }
  return ws;
}

Workspace load_text(const std::string& path, const std::string& text, const std::vector<std::string>& import_paths,
                    const std::vector<std::string>& policy_dirs) {
  Workspace ws;
  Loader loader(ws, resolved_all(import_paths));
  const fs::path dir = directory_of(path);
  const long i = loader.add(std::make_shared<base::SourceFile>(path, text), path,
                            root_of(path, trees_of(policy_dirs), {resolved(dir), dir.string()}));
  if (i >= 0) ws.modules[static_cast<std::size_t>(i)].explicitly_loaded = true;
  return ws;
}

}  // namespace reddalert::check
