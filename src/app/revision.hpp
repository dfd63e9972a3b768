// A git revision's policy files, written to a private temporary directory: the "before"
// side that `diff --base REV` evaluates. git is run without a shell (base/process.hpp) and
// only reads objects: nothing is checked out, and the working tree and the index are not
// touched.
#pragma once

#include <string>
#include <vector>

#include "base/diagnostic.hpp"
#include "model/alert.hpp"

namespace reddalert::app {

// Thrown when the revision cannot be read: one line, ready to print after "reddalert: ".
struct RevisionError {
  std::string message;
};

class RevisionTree {
 public:
  // Writes every `*.policy` file of `rev`, and each of `files` (paths as the command line
  // names them, e.g. the configuration) that `rev` has. Runs in the repository holding the
  // current directory. Throws RevisionError.
  RevisionTree(std::string rev, const std::vector<std::string>& files);
  ~RevisionTree();
  RevisionTree(const RevisionTree&) = delete;
  RevisionTree& operator=(const RevisionTree&) = delete;

  const std::string& rev() const { return rev_; }        // as the user wrote it
  const std::string& commit() const { return commit_; }  // the commit it names
  // The directory that stands for the current directory at the revision: relative paths
  // resolve against it as they resolve against the current directory in the working tree.
  const std::string& root() const { return root_; }
  // Whether the revision has `path` (relative to the current directory) as a file.
  bool has(const std::string& path) const;

  // The revision's files under their names in the repository, as `REV:path`.
  base::Diagnostics relabel(const base::Diagnostics& diagnostics) const;
  // An alert of the revision's policies with the path its file has in the working tree.
  void relabel(model::Alert& alert) const;
  // The path a file of the copy has in the working tree (other paths unchanged).
  std::string shown(const std::string& path) const;

 private:
  std::string rev_, commit_;
  std::string dir_;                 // the temporary directory: the repository's top at the revision
  std::string root_;                // dir_ + the current directory's place in the repository
  std::vector<std::string> files_;  // repository paths written
};

}  // namespace reddalert::app
