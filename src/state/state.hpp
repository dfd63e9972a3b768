// The status file (cli.md section 4): the window's start for the next run, first_seen()
// memory per policy, and the alerts already emitted. JSON, committed atomically, guarded
// by a kernel file lock.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "base/time.hpp"

namespace reddalert::state {

struct AlertRecord {
  std::string policy;
  std::string id;
  base::Millis first = 0;  // first emitted
  base::Millis last = 0;   // last raised
};

// An alert that some outputs accepted in a run where another output failed. That run
// committed nothing else, so the next run raises the alert again: it goes only to the
// outputs not listed here, and no output receives it twice.
struct Delivery {
  std::string policy;
  std::string id;
  std::set<std::string> outputs;  // the sinks that accepted it: "email", "elasticsearch", ...
  base::Millis until = 0;         // the window end of the run that sent it
};

struct State {
  std::optional<base::Millis> since;                                      // start of the next window
  std::map<std::string, std::map<std::string, base::Millis>> first_seen;  // policy -> value key -> last asked
  std::map<std::string, AlertRecord> alerts;                              // alert fingerprint -> record
  std::map<std::string, Delivery> deliveries;                             // alert fingerprint -> partial delivery
  bool migrated = false;                                                  // read from an original reddalert status file
};

// Thrown for a status file that exists but cannot be used; the file is left untouched.
struct StateError {
  std::string message;  // one line: file and cause (with the JSON error position)
};

// A missing file is an empty state. Reads both this format and the original tool's.
State load(const std::string& path);
// Writes `state` to `path` atomically: a temporary file in the same directory, fsync,
// rename, fsync of the directory. Throws StateError.
void commit(const std::string& path, const State& state);
// Drops first_seen values, alerts and deliveries not seen since `now - retention`.
void prune(State& state, base::Millis now, base::Millis retention);

// An exclusive lock held for the life of the object (flock on `<path>.lock`, which holds
// the owner's pid). The kernel releases it when the process dies.
class Lock {
 public:
  // Throws LockBusy when another process holds it, StateError when it cannot be taken.
  explicit Lock(const std::string& state_path);
  ~Lock();
  Lock(const Lock&) = delete;
  Lock& operator=(const Lock&) = delete;

 private:
  int fd_ = -1;
};

struct LockBusy {
  std::string path;
  long pid = 0;  // 0 when unknown
};

}  // namespace reddalert::state
