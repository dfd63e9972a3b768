// The status file (cli.md, "The status file"): per policy the end of the last window it
// was evaluated for and its first_seen() memory; the alerts already reported; and the
// alerts each output has yet to take (written before they are sent, so that a run that
// dies or fails half-way never sends one twice). JSON, committed atomically, guarded by a
// kernel file lock; never followed through a symbolic link.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/time.hpp"
#include "model/alert.hpp"

namespace reddalert::state {

struct PolicyState {
  std::optional<base::Millis> until;               // the end of the last window evaluated: where its next starts
  std::map<std::string, base::Millis> first_seen;  // value key -> last asked
};

struct AlertRecord {
  std::string policy;
  std::string id;
  base::Millis first = 0;  // first reported
  base::Millis last = 0;   // last raised
};

// What a status file of format 1 recorded after a run whose outputs partly failed: the
// outputs that accepted an alert. Read, never written: the first run that raises the alert
// again sends it only to the others.
struct LegacyDelivery {
  std::set<std::string> outputs;
};

struct State {
  std::map<std::string, PolicyState> policies;
  std::map<std::string, AlertRecord> alerts;  // alert fingerprint -> record
  // Per output ("email", "file", ...): alerts and resolved events not yet delivered.
  std::map<std::string, std::vector<model::Alert>> pending;
  // From a file of format 1 or the original tool's: the window start of every policy that
  // has no `until` of its own. Dropped by the first run of every policy.
  std::optional<base::Millis> legacy_since;
  std::map<std::string, LegacyDelivery> legacy_deliveries;  // alert fingerprint -> outputs
  bool migrated = false;                                    // read from the original reddalert's status file
};

// Thrown for a status file that exists but cannot be used; the file is left untouched.
struct StateError {
  std::string message;  // one line: file and cause (with the JSON error position)
};

// A missing file is an empty state. Reads this format, format 1, and the original tool's.
State load(const std::string& path);
// Writes `state` to `path` atomically: a temporary file of a random name in the same
// directory, created exclusively with the existing file's permissions (0600 for a new one),
// written, fsynced and renamed over it, then the directory fsynced. Throws StateError.
void commit(const std::string& path, const State& state);
// Drops first_seen values and alert records not seen since `now - retention`, and pending
// alerts older than that.
void prune(State& state, base::Millis now, base::Millis retention);

// An exclusive lock held for the life of the object (flock on `<path>.lock`, which holds
// the owner's pid). The kernel releases it when the process dies. Taking it removes the
// temporary files that runs killed during a commit left behind.
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
