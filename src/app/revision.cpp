#include "app/revision.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "base/file.hpp"
#include "base/process.hpp"

namespace reddalert::app {

namespace fs = std::filesystem;

namespace {

// git's output, or RevisionError with the first line of what git said.
std::string git(const std::vector<std::string>& args, const std::string& doing, const std::string& stdin_path = {}) {
  std::vector<std::string> argv = {"git", "-c", "core.quotepath=off"};
  argv.insert(argv.end(), args.begin(), args.end());
  base::ProcessOptions options;
  if (!stdin_path.empty()) options.stdin_path = stdin_path;
  base::ProcessResult r = base::run_process(argv, options);
  if (!r.failure.empty()) throw RevisionError{"cannot " + doing + ": " + r.failure};
  if (r.exit_code != 0) {
    std::string said = r.err.substr(0, r.err.find('\n'));
    if (said.rfind("fatal: ", 0) == 0) said.erase(0, 7);
    throw RevisionError{"cannot " + doing + ": " +
                        (said.empty() ? "git exited with " + std::to_string(r.exit_code) : said)};
  }
  return std::move(r.out);
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

struct Entry {
  std::string mode, object, path;
};

// `git ls-tree -r -z` lines: "MODE TYPE OBJECT\tPATH\0".
std::vector<Entry> parse_tree(const std::string& text) {
  std::vector<Entry> out;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = std::min(text.find('\0', start), text.size());
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    const std::size_t tab = line.find('\t'), sp1 = line.find(' '), sp2 = line.find(' ', sp1 + 1);
    if (tab == std::string::npos || sp2 == std::string::npos || sp2 > tab) continue;
    if (line.compare(sp1 + 1, sp2 - sp1 - 1, "blob") != 0) continue;  // submodules
    out.push_back({line.substr(0, sp1), line.substr(sp2 + 1, tab - sp2 - 1), line.substr(tab + 1)});
  }
  return out;
}

}  // namespace

RevisionTree::RevisionTree(std::string rev, const std::vector<std::string>& files) : rev_(std::move(rev)) {
  const std::string top = first_line(git({"rev-parse", "--show-toplevel"}, "find the git repository"));
  try {
    commit_ = first_line(git({"rev-parse", "--verify", "--quiet", "--end-of-options", rev_ + "^{commit}"}, ""));
  } catch (const RevisionError&) {
    throw RevisionError{"`" + rev_ + "` names no commit of the git repository " + top};
  }
  const std::string prefix = first_line(git({"rev-parse", "--show-prefix"}, "find the git repository"));

  // The repository paths of `files`: those inside the repository.
  std::vector<std::string> wanted;
  std::error_code ec;
  for (const std::string& f : files) {
    const fs::path full = fs::weakly_canonical(fs::absolute(f, ec), ec);
    const fs::path rel = full.lexically_relative(fs::weakly_canonical(top, ec));
    if (!rel.empty() && *rel.begin() != "..") wanted.push_back(rel.generic_string());
  }
  std::vector<Entry> entries;
  for (Entry& e : parse_tree(git({"ls-tree", "-r", "-z", "--full-tree", commit_}, "list revision `" + rev_ + "`"))) {
    const bool policy = e.path.size() > 7 && e.path.compare(e.path.size() - 7, 7, ".policy") == 0;
    if (policy || std::find(wanted.begin(), wanted.end(), e.path) != wanted.end()) entries.push_back(std::move(e));
  }

  std::string tmp = (fs::temp_directory_path(ec) / "reddalert-base-XXXXXX").string();
  if (!mkdtemp(tmp.data()))
    throw RevisionError{"cannot create a temporary directory in " + fs::temp_directory_path(ec).string()};
  dir_ = tmp;
  root_ = (fs::path(dir_) / prefix).lexically_normal().string();
  if (!root_.empty() && root_.back() == '/') root_.pop_back();
  if (entries.empty()) {
    fs::create_directories(root_, ec);
    return;
  }
  // Every object in one `git cat-file --batch`: "OBJECT blob SIZE\nCONTENT\n" each.
  std::string list;
  for (const Entry& e : entries) list += e.object + "\n";
  const std::string list_path = dir_ + "/.objects";
  if (const std::string why = base::write_file_atomic(list_path, list, 0600); !why.empty()) throw RevisionError{why};
  const std::string batch = git({"cat-file", "--batch"}, "read revision `" + rev_ + "`", list_path);
  fs::remove(list_path, ec);
  std::size_t at = 0;
  for (const Entry& e : entries) {
    const std::size_t header_end = batch.find('\n', at);
    const std::size_t size_at = batch.rfind(' ', header_end);
    if (header_end == std::string::npos || size_at == std::string::npos || size_at < at)
      throw RevisionError{"cannot read revision `" + rev_ + "`: git cat-file answered in an unknown shape"};
    const std::size_t size = std::stoull(batch.substr(size_at + 1, header_end - size_at - 1));
    const std::string content = batch.substr(header_end + 1, size);
    at = header_end + 1 + size + 1;
    const fs::path target = fs::path(dir_) / e.path;
    fs::create_directories(target.parent_path(), ec);
    if (e.mode == "120000") {
      fs::create_symlink(content, target, ec);  // the loader decides whether it may follow it
    } else if (const std::string why = base::write_file_atomic(target.string(), content, 0600); !why.empty()) {
      throw RevisionError{why};
    }
    files_.push_back(e.path);
  }
  fs::create_directories(root_, ec);
}

RevisionTree::~RevisionTree() {
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

bool RevisionTree::has(const std::string& path) const {
  const std::string rel = fs::path(fs::path(root_) / path).lexically_normal().lexically_relative(dir_).generic_string();
  return std::find(files_.begin(), files_.end(), rel) != files_.end();
}

std::string RevisionTree::shown(const std::string& path) const {
  if (path.rfind(root_ + "/", 0) != 0) return path;
  return path.substr(root_.size() + 1);
}

base::Diagnostics RevisionTree::relabel(const base::Diagnostics& diagnostics) const {
  std::map<const base::SourceFile*, base::SourcePtr> renamed;
  auto move = [&](base::Location& l) {
    if (!l.file || shown(l.file->path()) == l.file->path()) return;
    base::SourcePtr& to = renamed[l.file.get()];
    if (!to) to = l.file->renamed(rev_ + ":" + shown(l.file->path()));
    l.file = to;
  };
  base::Diagnostics out;
  for (base::Diagnostic d : diagnostics.items()) {
    move(d.location);
    for (base::Note& n : d.notes) move(n.location);
    out.add(std::move(d));
  }
  return out;
}

void RevisionTree::relabel(model::Alert& alert) const { alert.file = shown(alert.file); }

}  // namespace reddalert::app
