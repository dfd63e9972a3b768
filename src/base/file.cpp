#include "base/file.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/text.hpp"

namespace reddalert::base {

namespace {

std::optional<std::string> fail(std::string* why, std::string reason) {
  if (why) *why = std::move(reason);
  return std::nullopt;
}

// Closes the descriptor on every way out.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string file_kind(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFIFO: return "a FIFO";
    case S_IFCHR: return "a character device";
    case S_IFBLK: return "a block device";
    case S_IFDIR: return "a directory";
    case S_IFSOCK: return "a socket";
    default: return "a special file";
  }
}

std::optional<std::string> read_file(const std::string& path, std::string* why, std::size_t limit) {
  const Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (f.fd < 0) return fail(why, std::strerror(errno));
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return fail(why, std::strerror(errno));
  // `-c /dev/null` is the documented way to say "no configuration".
  if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3) return std::string();
  if (!S_ISREG(st.st_mode)) return fail(why, "is " + file_kind(st.st_mode) + ", not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > limit) {
    return fail(why, "is larger than " + format_bytes(limit));
  }
  ::fcntl(f.fd, F_SETFL, ::fcntl(f.fd, F_GETFL) & ~O_NONBLOCK);
  // One byte more than fstat said, to see the end; more when the file grows meanwhile.
  std::string text(static_cast<std::size_t>(st.st_size) + 1, '\0');
  std::size_t got = 0;
  for (;;) {
    if (got == text.size()) {
      if (got > limit) return fail(why, "is larger than " + format_bytes(limit));
      text.resize(std::min(limit + 1, got + (std::size_t{64} << 10)));
    }
    const ssize_t n = ::read(f.fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(why, std::strerror(errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  text.resize(got);
  return text;
}

namespace {

std::string random_hex(std::size_t bytes) {
  unsigned char buf[16];
  std::size_t got = 0;
  while (got < bytes) {
    const ssize_t n = ::getrandom(buf + got, bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::to_string(::getpid());  // no entropy: still unique among live runs
    got += static_cast<std::size_t>(n);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    out += kHex[buf[i] >> 4];
    out += kHex[buf[i] & 15];
  }
  return out;
}

std::string temporary_prefix(const std::string& name) { return "." + name + ".tmp."; }

}  // namespace

std::string write_file_atomic(const std::string& path, const std::string& text, unsigned new_mode) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  // The permissions of the file replaced (a 0600 file stays 0600), else `new_mode`.
  mode_t mode = static_cast<mode_t>(new_mode);
  struct stat existing {};
  if (::lstat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)) mode = existing.st_mode & 07777;
  // A name nobody can predict, created exclusively and never through a link: a file or
  // link planted in the directory cannot receive the text.
  const std::string tmp = (dir / (temporary_prefix(target.filename().string()) + random_hex(8))).string();
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot write " + tmp + ": " + std::strerror(errno);
  const auto failed = [&](const std::string& what, bool open) {
    const std::string reason = what + ": " + std::strerror(errno);
    if (open) ::close(fd);
    ::unlink(tmp.c_str());
    return reason;
  };
  if (::fchmod(fd, mode) != 0) return failed("cannot set the permissions of " + tmp, true);
  for (std::size_t written = 0; written < text.size();) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return failed("cannot write " + tmp, true);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return failed("cannot write " + tmp, true);
  if (::close(fd) != 0) return failed("cannot write " + tmp, false);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return failed("cannot replace " + path, false);
  // Make the rename itself durable.
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

void remove_stale_temporaries(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const std::string dir = target.has_parent_path() ? target.parent_path().string() : std::string(".");
  const std::string name = target.filename().string();
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  while (const dirent* e = ::readdir(d)) {
    const std::string entry = e->d_name;
    // Also the `NAME.tmp.PID` of earlier releases.
    if (entry.rfind(temporary_prefix(name), 0) == 0 || entry.rfind(name + ".tmp.", 0) == 0)
      ::unlinkat(::dirfd(d), e->d_name, 0);
  }
  ::closedir(d);
}

}  // namespace reddalert::base
