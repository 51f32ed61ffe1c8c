#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "case/atomic_write.h"
#include "temp_dir.h"

using namespace iovet;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t entries(const fs::path& d) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(d), fs::directory_iterator()));
}

}  // namespace

TEST_CASE("atomic write creates and replaces, leaving no temporary file", "[case][atomic]") {
  const fs::path d = test::fresh_temp_dir("atomic");
  const fs::path f = d / "x.json";
  write_file_atomic(f.string(), "first\n");
  CHECK(slurp(f) == "first\n");
  write_file_atomic(f.string(), "second\n");
  CHECK(slurp(f) == "second\n");
  CHECK(entries(d) == 1);
  CHECK((fs::status(f).permissions() & fs::perms::others_read) != fs::perms::none);
  fs::remove_all(d);
}

TEST_CASE("atomic write into a missing directory fails and creates nothing", "[case][atomic]") {
  const fs::path d = test::fresh_temp_dir("atomic-missing");
  CHECK_THROWS_AS(write_file_atomic((d / "no" / "x.json").string(), "x"), std::runtime_error);
  CHECK_FALSE(fs::exists(d / "no"));
  fs::remove_all(d);
}

TEST_CASE("a write that fails half way leaves the old file intact", "[case][atomic]") {
  const fs::path d = test::fresh_temp_dir("atomic-fail");
  const fs::path f = d / "x.json";
  write_file_atomic(f.string(), "old content\n");
  // A file size limit makes write() fail with EFBIG after the first 64 bytes: a real
  // mid-write failure, even for root.
  rlimit old{};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = old;
  small.rlim_cur = 64;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  bool threw = false;
  try {
    write_file_atomic(f.string(), std::string(4096, 'n'));
  } catch (const std::runtime_error&) {
    threw = true;
  }
  setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);
  CHECK(threw);
  CHECK(slurp(f) == "old content\n");
  CHECK(entries(d) == 1);  // the temporary file is gone
  fs::remove_all(d);
}
