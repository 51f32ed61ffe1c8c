#include "kernel/spawn.h"

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <map>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace iovet {
namespace {

struct Running {
  std::size_t index;
  FILE* out;
};

std::string read_all(FILE* f) {
  std::string s;
  std::rewind(f);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, n);
  return s;
}

// Starts cmd with stdout and stderr going to a fresh temporary file; pid -1 when it could not.
pid_t start(const Command& cmd, FILE* out) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fileno(out), 1);
  posix_spawn_file_actions_adddup2(&fa, fileno(out), 2);
  std::vector<char*> argv;
  for (const std::string& a : cmd.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int err = posix_spawnp(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return err ? -1 : pid;
}

}  // namespace

std::vector<CommandResult> run_commands(const std::vector<Command>& cmds, unsigned parallel) {
  std::vector<CommandResult> res(cmds.size());
  std::map<pid_t, Running> running;
  std::size_t next = 0;
  if (parallel == 0) parallel = 1;
  while (next < cmds.size() || !running.empty()) {
    while (next < cmds.size() && running.size() < parallel) {
      FILE* out = std::tmpfile();
      const pid_t pid = out ? start(cmds[next], out) : -1;
      if (pid < 0) {
        res[next] = {127, "cannot run " + cmds[next].argv.front() + "\n"};
        if (out) std::fclose(out);
      } else {
        running[pid] = {next, out};
      }
      ++next;
    }
    if (running.empty()) continue;
    int wstatus = 0;
    const pid_t pid = waitpid(-1, &wstatus, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;  // no children left that we know of
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    CommandResult& r = res[it->second.index];
    r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
    r.output = read_all(it->second.out);
    std::fclose(it->second.out);
    running.erase(it);
  }
  return res;
}

}  // namespace iovet
