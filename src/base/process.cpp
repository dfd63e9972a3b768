#include "base/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace reddalert::base {
namespace {

// Both ends closed on exec; the child's copies are made by the spawn's dup2.
bool make_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC) == 0; }

void close_all(std::initializer_list<int> fds) {
  for (int fd : fds) {
    if (fd >= 0) close(fd);
  }
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options) {
  ProcessResult r;
  const std::string program = argv.empty() ? std::string() : argv.front();
  int out[2] = {-1, -1}, err[2] = {-1, -1};
  if (argv.empty() || !make_pipe(out) || !make_pipe(err)) {
    r.failure = "cannot run " + program + ": " + std::strerror(errno);
    close_all({out[0], out[1], err[0], err[1]});
    return r;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, options.stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, program.c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close_all({out[1], err[1]});
  if (spawned != 0) {
    r.failure = "cannot run " + program + ": " + std::strerror(spawned);
    close_all({out[0], err[0]});
    return r;
  }
  // Both pipes drained together, so a program filling one while we wait on the other
  // cannot deadlock.
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&r.out, &r.err};
  bool too_long = false;
  char buffer[65536];
  for (int open = 2; open > 0 && !too_long;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
        continue;
      }
      sinks[i]->append(buffer, static_cast<std::size_t>(n));
      too_long = too_long || sinks[i]->size() > options.max_output;
    }
  }
  if (too_long) kill(pid, SIGKILL);
  close_all({fds[0].fd, fds[1].fd});
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (too_long) {
    r.failure = program + " wrote more than " + std::to_string(options.max_output >> 20) + " MiB";
  } else if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  } else {
    r.failure = program + " was ended by signal " + std::to_string(WTERMSIG(status));
  }
  return r;
}

}  // namespace reddalert::base
