// Runs the iovet binary as a user would and captures what it says.
#pragma once
#include <string>

struct IovetRun {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

IovetRun run_iovet(const std::string& args);
std::string slurp(const std::string& path);
// A fresh directory under the build's temp area, removed by the caller's scope.
std::string write_temp_file(const std::string& name, const std::string& text);
// Writes the case and replays it: exit 2, naming the file and the JSON pointer.
void expect_input_error(const std::string& file, const std::string& text, const std::string& pointer);
