#include "tests/cli/run_iovet.h"

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

std::string slurp(const std::string& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

static fs::path temp_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("iovet-cli-test-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

IovetRun run_iovet(const std::string& args) {
  const fs::path out = temp_dir() / "stdout", err = temp_dir() / "stderr";
  const std::string cmd = std::string(IOVET_BIN) + " " + args + " >" + out.string() + " 2>" + err.string() + " </dev/null";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out.string()), slurp(err.string())};
}

std::string write_temp_file(const std::string& name, const std::string& text) {
  const fs::path p = temp_dir() / name;
  std::ofstream(p) << text;
  return p.string();
}

void expect_input_error(const std::string& file, const std::string& text, const std::string& pointer) {
  const std::string path = write_temp_file(file, text);
  const IovetRun r = run_iovet("replay " + path);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find(path) != std::string::npos);
  CHECK(r.err.find(pointer) != std::string::npos);
}
