// Bad input exits 2 with a message naming the file and the JSON pointer; never a crash.
#include <catch2/catch.hpp>

#include "tests/cli/run_iovet.h"

namespace {

const char* kGood = R"({"iovet":1,"name":"ok","target":"dma","variant":"mainline",
 "ops":[{"op":"map_page","id":"a","page":"0x40000000","offset":0,"size":4096,"dir":"to_device"},
        {"op":"unmap_page","id":"a"}]})";

}  // namespace

TEST_CASE("a well-formed clean case replays with exit 0", "[cli]") {
  const IovetRun r = run_iovet("replay " + write_temp_file("good.json", kGood));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
}

TEST_CASE("truncated JSON exits 2 naming the file", "[cli]") {
  const std::string text = kGood;
  expect_input_error("truncated.json", text.substr(0, text.size() / 2), "");
}

TEST_CASE("a wrong type exits 2 with its pointer", "[cli]") {
  expect_input_error("type.json",
                     R"({"iovet":1,"name":"t","target":"dma","ops":[{"op":"map_page","id":"a","page":"0x40000000","offset":0,"size":true,"dir":"to_device"}]})",
                     "/ops/0/size");
}

TEST_CASE("a number out of range exits 2 with its pointer", "[cli]") {
  expect_input_error("range.json",
                     R"({"iovet":1,"name":"t","target":"dma","ops":[{"op":"map_sg","id":"s","dir":"to_device","sg":[{"page":"0x40000000","offset":0,"length":"0x1ffffffffffffffff"}]}]})",
                     "/ops/0/sg/0/length");
}

TEST_CASE("an unknown op exits 2 with its pointer", "[cli]") {
  expect_input_error("op.json", R"({"iovet":1,"name":"t","target":"dma","ops":[{"op":"map_pages","id":"a"}]})", "/ops/0/op");
}

TEST_CASE("a dangling id exits 2 with its pointer", "[cli]") {
  expect_input_error("dangling.json", R"({"iovet":1,"name":"t","target":"dma","ops":[{"op":"unmap_page","id":"nope"}]})",
                     "/ops/0/id");
}

TEST_CASE("an impossible config exits 2 with its pointer", "[cli]") {
  expect_input_error("config.json",
                     R"({"iovet":1,"name":"t","target":"dma","config":{"device":{"seg_boundary_mask":"0x1234"}},"ops":[]})",
                     "/config/device/seg_boundary_mask");
}

TEST_CASE("bad flags exit 2", "[cli]") {
  CHECK(run_iovet("check --runs -3").exit_code == 2);
  CHECK(run_iovet("check --target nowhere").exit_code == 2);
  CHECK(run_iovet("check --variant no-such-variant --runs 1").exit_code == 2);
  CHECK(run_iovet("frobnicate").exit_code == 2);
  CHECK(run_iovet("replay /no/such/file.json").exit_code == 2);
}

TEST_CASE("an unknown field is a warning, and an error under --strict", "[cli]") {
  const std::string path = write_temp_file(
      "unknown.json",
      R"({"iovet":1,"name":"u","target":"dma","colour":"red","ops":[{"op":"map_page","id":"a","page":"0x40000000","offset":0,"size":4096,"dir":"to_device"},{"op":"unmap_page","id":"a"}]})");
  const IovetRun lax = run_iovet("replay " + path);
  CHECK(lax.exit_code == 0);
  CHECK(lax.err.find("/colour") != std::string::npos);
  const IovetRun strict = run_iovet("replay --strict " + path);
  CHECK(strict.exit_code == 2);
  CHECK(strict.err.find("/colour") != std::string::npos);
}
