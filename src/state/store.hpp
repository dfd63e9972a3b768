// Where a run keeps its memory: the status file, locked for the run (FileStore), or, for
// tests of the run itself, memory (MemoryStore), which can be told to fail a commit.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "state/state.hpp"

namespace reddalert::state {

class Store {
 public:
  virtual ~Store() = default;
  // For messages: the status file's path.
  virtual std::string describe() const = 0;
  // Throws StateError.
  virtual State load() = 0;
  // Replaces what is stored, all or nothing. Throws StateError.
  virtual void commit(const State& state) = 0;
};

// The status file at `path`, locked from construction (throws LockBusy or StateError) to
// destruction.
class FileStore : public Store {
 public:
  explicit FileStore(std::string path) : path_(std::move(path)), lock_(path_) {}
  std::string describe() const override { return path_; }
  State load() override { return state::load(path_); }
  void commit(const State& state) override { state::commit(path_, state); }

 private:
  std::string path_;
  Lock lock_;
};

// The twin: what was committed last is `stored`. With `fail_after` set, the commit after
// that many successful ones fails as a full disk would, leaving `stored` as it was.
class MemoryStore : public Store {
 public:
  std::optional<State> stored;
  std::optional<int> fail_after;
  int commits = 0;

  std::string describe() const override { return "memory"; }
  State load() override { return stored.value_or(State{}); }
  void commit(const State& state) override {
    if (fail_after && commits >= *fail_after) throw StateError{"memory: No space left on device"};
    stored = state;
    ++commits;
  }
};

}  // namespace reddalert::state
