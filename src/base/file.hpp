// Whole files read and written: the one place that opens the files people hand reddalert
// (policies, configuration, waivers, tests, the manifest, the status file) and writes the
// snapshot's. A path can name anything: a FIFO that never ends, /dev/zero, a symlink to
// either; so only regular files are read, and only up to a size.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace reddalert::base {

// The size read_file takes by default: policies, configuration, waivers, policy tests and
// manifests are written by hand or are small; far larger is a mistake or hostile.
inline constexpr std::size_t kMaxTextFile = std::size_t{16} << 20;

// "a FIFO", "a character device", "a directory", ... for a st_mode that is not a regular
// file's.
std::string file_kind(unsigned mode);

// The whole content of the regular file `path` (or of /dev/null, which reads as empty), at
// most `limit` bytes; nullopt otherwise, with the reason in `*why` when given: the system's
// ("No such file or directory"), "is a FIFO, not a regular file", "is larger than 16 MiB".
// Opened without blocking, so a FIFO with no writer cannot hang it.
std::optional<std::string> read_file(const std::string& path, std::string* why = nullptr,
                                     std::size_t limit = kMaxTextFile);

// Writes `text` to `path` so that `path` holds either its old content or all of `text`: a
// temporary file of a random name (`.NAME.tmp.HEX`) in the same directory, created
// exclusively and not through a link, with the replaced file's permissions (`new_mode` for
// a new file), every write and the close checked, fsync, rename, fsync of the directory.
// Returns the reason of a failure ("cannot write DIR/.x.tmp.HEX: No space left on device"),
// empty on success; nothing is left behind on failure.
std::string write_file_atomic(const std::string& path, const std::string& text, unsigned new_mode = 0644);

// Removes the temporaries write_file_atomic() left for `path` in runs that were killed.
// Only while holding a lock that keeps every other writer of `path` out.
void remove_stale_temporaries(const std::string& path);

}  // namespace reddalert::base
