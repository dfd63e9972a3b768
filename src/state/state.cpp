#include "state/state.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "base/file.hpp"
#include "base/json_text.hpp"
#include "base/time.hpp"

namespace reddalert::state {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kFormat = "reddalert-state/1";
// Far more than years of alerts; the file is read whole.
constexpr std::size_t kMaxFile = std::size_t{1} << 30;

std::string errno_text() { return std::strerror(errno); }

// A time as the file holds it; one out of range is a wrong shape, as a string would be.
base::Millis millis(const json& j) {
  if (!j.is_number()) return 0;
  if (const auto t = base::time_of(j.get<double>())) return *t;
  throw std::range_error("the time " + j.dump() + " is out of range (" + base::kTimeRange + ")");
}

// The original tool kept `since` and one object per plugin, `plugin.<name>`, whose
// `first_seen` maps a value (an AMI id) to a time.
State from_original(const json& j) {
  State s;
  s.migrated = true;
  if (j.contains("since") && j["since"].is_number()) s.since = millis(j["since"]);
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.key().rfind("plugin.", 0) != 0 || !it.value().is_object()) continue;
    const std::string policy = it.key().substr(7);
    const json& fs_ = it.value().value("first_seen", json::object());
    if (fs_.is_object()) {
      for (auto v = fs_.begin(); v != fs_.end(); ++v) s.first_seen[policy][v.key()] = millis(v.value());
    } else if (fs_.is_array()) {
      for (const json& v : fs_) s.first_seen[policy][v.is_string() ? v.get<std::string>() : v.dump()] = 0;
    }
  }
  return s;
}

// This format's file (or the original's) as a State; throws json::exception on a wrong shape.
State from_json(const json& j, const std::string& path) {
  if (!j.contains("format")) return from_original(j);
  if (j["format"] != kFormat) {
    throw StateError{"the status file " + path + " has format " + j["format"].dump() + "; this reddalert reads " +
                     kFormat};
  }
  State s;
  if (j.contains("since") && j["since"].is_number()) s.since = millis(j["since"]);
  const json policies = j.value("policies", json::object());
  for (auto p = policies.begin(); p != policies.end(); ++p) {
    const json fs_ = p.value().value("first_seen", json::object());
    for (auto v = fs_.begin(); v != fs_.end(); ++v) s.first_seen[p.key()][v.key()] = millis(v.value());
  }
  const json alerts = j.value("alerts", json::object());
  for (auto a = alerts.begin(); a != alerts.end(); ++a) {
    s.alerts[a.key()] = {a.value().value("policy", ""), a.value().value("id", ""),
                         millis(a.value().value("first", json())), millis(a.value().value("last", json()))};
  }
  const json deliveries = j.value("deliveries", json::object());
  for (auto d = deliveries.begin(); d != deliveries.end(); ++d) {
    Delivery& out = s.deliveries[d.key()];
    out.policy = d.value().value("policy", "");
    out.id = d.value().value("id", "");
    out.until = millis(d.value().value("until", json()));
    for (const json& o : d.value().value("outputs", json::array())) {
      if (o.is_string()) out.outputs.insert(o.get<std::string>());
    }
  }
  return s;
}

}  // namespace

State load(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec) && !ec) return {};  // not found; a search permission denied is read's error
  std::string why;
  const std::optional<std::string> text = base::read_file(path, &why, kMaxFile);
  if (!text) throw StateError{"cannot read the status file " + path + ": " + why};
  base::JsonError error;
  const std::optional<json> parsed = base::parse_json(*text, &error);
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
  } catch (const std::exception& e) {  // json::exception, or a time out of range
    throw StateError{"the status file " + path + " has an unexpected shape (" + e.what() +
                     "); it was left as it is: repair it, or move it away to start with an empty state"};
  }
}

void prune(State& state, base::Millis now, base::Millis retention) {
  const base::Millis horizon = now - retention;
  for (auto p = state.first_seen.begin(); p != state.first_seen.end();) {
    for (auto v = p->second.begin(); v != p->second.end();) v = v->second < horizon ? p->second.erase(v) : std::next(v);
    p = p->second.empty() ? state.first_seen.erase(p) : std::next(p);
  }
  for (auto a = state.alerts.begin(); a != state.alerts.end();)
    a = a->second.last < horizon ? state.alerts.erase(a) : std::next(a);
  for (auto d = state.deliveries.begin(); d != state.deliveries.end();)
    d = d->second.until < horizon ? state.deliveries.erase(d) : std::next(d);
}

void commit(const std::string& path, const State& state) {
  json j = {{"format", kFormat}, {"policies", json::object()}, {"alerts", json::object()}};
  j["since"] = state.since ? json(*state.since) : json(nullptr);
  for (const auto& [policy, values] : state.first_seen) {
    json v = json::object();
    for (const auto& [key, ms] : values) v[key] = ms;
    j["policies"][policy] = {{"first_seen", v}};
  }
  for (const auto& [fp, a] : state.alerts) {
    j["alerts"][fp] = {{"policy", a.policy}, {"id", a.id}, {"first", a.first}, {"last", a.last}};
  }
  for (const auto& [fp, d] : state.deliveries) {  // the key only when there are some
    j["deliveries"][fp] = {{"policy", d.policy}, {"id", d.id}, {"outputs", d.outputs}, {"until", d.until}};
  }
  const std::string text = base::json_text(j, 1) + "\n";
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  const std::string tmp = (dir / (target.filename().string() + ".tmp." + std::to_string(getpid()))).string();
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw StateError{"cannot write " + tmp + ": " + errno_text()};
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string why = errno_text();
      ::close(fd);
      ::unlink(tmp.c_str());
      throw StateError{"cannot write " + tmp + ": " + why};
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string why = errno_text();
    ::unlink(tmp.c_str());
    throw StateError{"cannot write " + tmp + ": " + why};
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(tmp.c_str());
    throw StateError{"cannot replace " + path + ": " + why};
  }
  // Make the rename itself durable.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

Lock::Lock(const std::string& state_path) {
  const std::string path = state_path + ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  // A lock file another user created (a run as root) can still be locked read-only.
  if (fd_ < 0 && errno == EACCES) fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw StateError{"cannot open the lock file " + path + ": " + errno_text()};
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    long pid = 0;
    if (const auto text = base::read_file(path)) pid = std::atol(text->c_str());
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK) throw LockBusy{path, pid};
    throw StateError{"cannot lock " + path + ": " + std::strerror(err)};
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    (void)!::write(fd_, pid.data(), pid.size());
  }
}

Lock::~Lock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace reddalert::state
