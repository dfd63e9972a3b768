#include "state/state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "base/file.hpp"
#include "base/json_text.hpp"

namespace reddalert::state {

namespace {

using nlohmann::json;

constexpr const char* kFormat = "reddalert-state/2";
constexpr const char* kFormat1 = "reddalert-state/1";
// Far past any estate's memory (about 150 bytes an alert): a larger file is not ours.
constexpr std::size_t kMaxStateFile = std::size_t{1} << 30;

std::string errno_text(int e = errno) { return std::strerror(e); }

// Times are integers of milliseconds; anything else in a time's place is a wrong shape.
base::Millis millis(const json& j) {
  if (j.is_null()) return 0;
  if (!j.is_number_integer() || !base::valid_time(j.get<base::Millis>())) {
    throw StateError{"a time that is not an integer of milliseconds in " + std::string(base::kTimeRange) + ": " +
                     j.dump()};
  }
  return j.get<base::Millis>();
}
std::optional<base::Millis> optional_millis(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return millis(*it);
}

// The original tool kept `since` and one object per plugin, `plugin.<name>`, whose
// `first_seen` maps a value (an AMI id) to a time.
State from_original(const json& j) {
  State s;
  s.migrated = true;
  if (j.contains("since") && j["since"].is_number()) s.legacy_since = millis(j["since"]);
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key().rfind("plugin.", 0) != 0 || !it.value().is_object()) continue;
    std::map<std::string, base::Millis>& seen = s.policies[it.key().substr(7)].first_seen;
    const json& fs_ = it.value().value("first_seen", json::object());
    if (fs_.is_object()) {
      for (auto v = fs_.begin(); v != fs_.end(); ++v) seen[v.key()] = v.value().is_number() ? millis(v.value()) : 0;
    } else if (fs_.is_array()) {
      for (const json& v : fs_) seen[v.is_string() ? v.get<std::string>() : v.dump()] = 0;
    }
  }
  return s;
}

void read_alerts(const json& j, State& s) {
  const json alerts = j.value("alerts", json::object());
  for (auto a = alerts.begin(); a != alerts.end(); ++a) {
    s.alerts[a.key()] = {a.value().value("policy", ""), a.value().value("id", ""),
                         millis(a.value().value("first", json())), millis(a.value().value("last", json()))};
  }
}

// Format 1: one `since` for every policy, and the outputs that took an alert after a
// partial failure.
State from_format1(const json& j) {
  State s;
  s.legacy_since = optional_millis(j, "since");
  const json policies = j.value("policies", json::object());
  for (auto p = policies.begin(); p != policies.end(); ++p) {
    const json fs_ = p.value().value("first_seen", json::object());
    for (auto v = fs_.begin(); v != fs_.end(); ++v) s.policies[p.key()].first_seen[v.key()] = millis(v.value());
  }
  read_alerts(j, s);
  const json deliveries = j.value("deliveries", json::object());
  for (auto d = deliveries.begin(); d != deliveries.end(); ++d) {
    for (const json& o : d.value().value("outputs", json::array())) {
      if (o.is_string()) s.legacy_deliveries[d.key()].outputs.insert(o.get<std::string>());
    }
  }
  return s;
}

State from_json(const json& j, const std::string& path) {
  if (!j.contains("format")) return from_original(j);
  if (j["format"] == kFormat1) return from_format1(j);
  if (j["format"] != kFormat) {
    throw StateError{"the status file " + path + " has format " + j["format"].dump() + "; this reddalert reads " +
                     kFormat + " and " + kFormat1};
  }
  State s;
  s.legacy_since = optional_millis(j, "since");
  const json policies = j.value("policies", json::object());
  for (auto p = policies.begin(); p != policies.end(); ++p) {
    PolicyState& ps = s.policies[p.key()];
    ps.until = optional_millis(p.value(), "until");
    const json fs_ = p.value().value("first_seen", json::object());
    for (auto v = fs_.begin(); v != fs_.end(); ++v) ps.first_seen[v.key()] = millis(v.value());
  }
  read_alerts(j, s);
  const json pending = j.value("pending", json::object());
  for (auto o = pending.begin(); o != pending.end(); ++o) {
    for (const json& a : o.value()) s.pending[o.key()].push_back(model::alert_from_json(a));
  }
  return s;
}

// The whole of a regular file, never through a symbolic link. Empty when it does not exist.
std::optional<std::string> read_state_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    if (e == ENOENT) return std::nullopt;
    if (e == ELOOP) {
      throw StateError{"the status file " + path +
                       " is a symbolic link; reddalert does not follow one there (a link planted in the state "
                       "directory would redirect its writes): give the real path"};
    }
    throw StateError{"cannot read the status file " + path + ": " + errno_text(e)};
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw StateError{"the status file " + path + " is " + base::file_kind(st.st_mode) + ", not a regular file"};
  }
  if (static_cast<std::size_t>(st.st_size) > kMaxStateFile) {
    ::close(fd);
    throw StateError{"the status file " + path + " is larger than 1 GiB; it was left as it is"};
  }
  std::string text;
  text.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  for (;;) {
    if (got == text.size()) text.resize(text.size() + 65536);  // the file grew, or was empty
    const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      throw StateError{"cannot read the status file " + path + ": " + errno_text(e)};
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  return text;
}

json to_json(const State& state) {
  json j = {{"format", kFormat}, {"policies", json::object()}, {"alerts", json::object()}};
  if (state.legacy_since) j["since"] = *state.legacy_since;
  for (const auto& [policy, ps] : state.policies) {
    json v = json::object();
    for (const auto& [key, ms] : ps.first_seen) v[key] = ms;
    json& p = j["policies"][policy];
    p = {{"first_seen", v}};
    if (ps.until) p["until"] = *ps.until;
  }
  for (const auto& [fp, a] : state.alerts) {
    j["alerts"][fp] = {{"policy", a.policy}, {"id", a.id}, {"first", a.first}, {"last", a.last}};
  }
  for (const auto& [output, alerts] : state.pending) {  // the key only when there are some
    if (alerts.empty()) continue;
    json& list = j["pending"][output];
    for (const model::Alert& a : alerts) list.push_back(model::to_json(a));
  }
  return j;
}

}  // namespace

State load(const std::string& path) {
  const std::optional<std::string> text = read_state_file(path);
  if (!text) return {};
  base::JsonError error;
  std::optional<json> parsed = base::parse_json(*text, &error);
  if (!parsed) {
    throw StateError{"the status file " + path + " is not valid JSON (at byte " + std::to_string(error.byte) + ": " +
                     error.cause + "); it was left as it is: repair it, or move it away to start with an empty state"};
  }
  const json& j = *parsed;
  if (!j.is_object()) throw StateError{"the status file " + path + " is not a JSON object; it was left as it is"};
  // A hand-edited file of the right syntax but the wrong shape (an array where a map
  // belongs) is as unusable as a corrupt one.
  try {
    return from_json(j, path);
  } catch (const json::exception& e) {
    throw StateError{"the status file " + path + " has an unexpected shape (" + e.what() +
                     "); it was left as it is: repair it, or move it away to start with an empty state"};
  } catch (const StateError& e) {
    if (e.message.rfind("the status file", 0) == 0) throw;
    throw StateError{"the status file " + path + " has an unexpected shape (" + e.message +
                     "); it was left as it is: repair it, or move it away to start with an empty state"};
  }
}

void prune(State& state, base::Millis now, base::Millis retention) {
  const base::Millis horizon = now - retention;
  for (auto p = state.policies.begin(); p != state.policies.end();) {
    auto& seen = p->second.first_seen;
    for (auto v = seen.begin(); v != seen.end();) v = v->second < horizon ? seen.erase(v) : std::next(v);
    p = seen.empty() && !p->second.until ? state.policies.erase(p) : std::next(p);
  }
  for (auto a = state.alerts.begin(); a != state.alerts.end();)
    a = a->second.last < horizon ? state.alerts.erase(a) : std::next(a);
  for (auto o = state.pending.begin(); o != state.pending.end();) {
    std::erase_if(o->second, [&](const model::Alert& a) { return a.until < horizon; });
    o = o->second.empty() ? state.pending.erase(o) : std::next(o);
  }
}

void commit(const std::string& path, const State& state) {
  struct stat existing {};
  if (::lstat(path.c_str(), &existing) == 0 && S_ISLNK(existing.st_mode))
    throw StateError{"the status file " + path + " is a symbolic link; not replaced"};
  const std::string failure = base::write_file_atomic(path, base::json_text(to_json(state), 1) + "\n", 0600);
  if (!failure.empty()) throw StateError{failure};
}

Lock::Lock(const std::string& state_path) {
  const std::string path = state_path + ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
  // A lock file another user created (a run as root) can still be locked read-only.
  if (fd_ < 0 && errno == EACCES) fd_ = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    const int e = errno;
    throw StateError{"cannot open the lock file " + path + ": " +
                     (e == ELOOP ? "it is a symbolic link, which reddalert does not follow there" : errno_text(e))};
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd_);
    fd_ = -1;
    throw StateError{"the lock file " + path + " is not a regular file"};
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    long pid = 0;
    char buf[32] = {};
    if (::pread(fd_, buf, sizeof buf - 1, 0) > 0) pid = std::atol(buf);
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK) throw LockBusy{path, pid};
    throw StateError{"cannot lock " + path + ": " + errno_text(err)};
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
  }
  // Holding the lock, no other run is writing: a temporary file here is a dead run's.
  base::remove_stale_temporaries(state_path);
}

Lock::~Lock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace reddalert::state
