// Running the system compiler: commands in parallel, each one's output kept for the message
// a failed build gives.
#pragma once
#include <string>
#include <vector>

namespace iovet {

struct Command {
  std::vector<std::string> argv;
};
struct CommandResult {
  int status = 0;      // the exit code; 128 + N when killed by signal N; 127 when it could not start
  std::string output;  // stdout and stderr together
};

// Runs the commands, at most `parallel` at once; results in the commands' order.
std::vector<CommandResult> run_commands(const std::vector<Command>& cmds, unsigned parallel);

}  // namespace iovet
