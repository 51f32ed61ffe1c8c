// Every class of bad input is an InputError naming the file and the exact JSON pointer.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "case/case_json.h"
#include "case/input_error.h"
#include "temp_dir.h"

using namespace iovet;
using json = nlohmann::ordered_json;

namespace {

// A valid dma case; tests break one thing at a time.
json base_dma() {
  return json::parse(R"({"iovet": 1, "name": "base", "target": "dma", "ops": [
      {"op": "map_page", "id": "p", "page": "0x1000", "offset": 0, "size": 4096, "dir": "to_device"},
      {"op": "map_sg", "id": "s", "dir": "bidirectional",
       "sg": [{"page": "0x2000", "offset": 0, "length": 4096}, {"page": "0x3000", "offset": 0, "length": 100}]},
      {"op": "alloc", "id": "c", "size": 8192},
      {"op": "access", "id": "s", "offset": 10, "write": false},
      {"op": "unmap_page", "id": "p"},
      {"op": "unmap_sg", "id": "s"},
      {"op": "free", "id": "c"}],
    "expect": {"rules": ["dma.crash"]}})");
}

struct Outcome {
  std::string pointer;
  std::string problem;
  std::string file;
};

Outcome error_of(const json& j, bool strict = false) {
  try {
    parse_case(j, "bad.json", strict, nullptr);
  } catch (const InputError& e) {
    return {e.pointer, e.problem, e.file};
  }
  FAIL("no InputError for " << j.dump());
  return {};
}

// Sets j at pointer p to v and returns the pointer of the resulting error.
Outcome with(const std::string& p, const json& v, bool strict = false) {
  json j = base_dma();
  j[json::json_pointer(p)] = v;
  return error_of(j, strict);
}

}  // namespace

TEST_CASE("the base case is valid", "[case][errors]") {
  CHECK_NOTHROW(parse_case(base_dma(), "bad.json", true, nullptr));
}

TEST_CASE("errors name the file", "[case][errors]") {
  CHECK(with("/ops/1/sg/1/length", -1).file == "bad.json");
  try {
    json j = base_dma();
    j["ops"][0]["size"] = true;
    parse_case(j, "dir/x.json", false, nullptr);
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == "dir/x.json: /ops/0/size: expected an integer (a number or a "
                                   "C-syntax string), got a boolean");
  }
}

TEST_CASE("wrong JSON types", "[case][errors]") {
  CHECK(with("/ops/0/size", true).pointer == "/ops/0/size");
  CHECK(with("/ops/0/size", json::array()).pointer == "/ops/0/size");
  CHECK(with("/ops/0/dir", 3).pointer == "/ops/0/dir");
  CHECK(with("/ops/1/sg", json::object()).pointer == "/ops/1/sg");
  CHECK(with("/ops/1/sg/0", "x").pointer == "/ops/1/sg/0");
  CHECK(with("/ops/3/write", "yes").pointer == "/ops/3/write");
  CHECK(with("/name", 5).pointer == "/name");
  CHECK(with("/ops", json::object()).pointer == "/ops");
  CHECK(with("/ops/2", 7).pointer == "/ops/2");
  CHECK(with("/config", json::array()).pointer == "/config");
  CHECK(with("/config/device", 1).pointer == "/config/device");
  CHECK(with("/config/domain/aperture", json::array({1})).pointer == "/config/domain/aperture");
  CHECK(with("/expect/rules", "dma.crash").pointer == "/expect/rules");
  CHECK(with("/provenance", "me").pointer == "/provenance");
  CHECK(with("/ops/0/size", 1.5).problem == "expected an integer, got a fractional number");
}

TEST_CASE("negative numbers", "[case][errors]") {
  const Outcome o = with("/ops/1/sg/1/length", -1);
  CHECK(o.pointer == "/ops/1/sg/1/length");
  CHECK(o.problem == "negative number -1");
  CHECK(with("/ops/0/page", "-0x1000").pointer == "/ops/0/page");
  CHECK(with("/config/device/dma_mask", -4096.0).problem == "negative number");
}

TEST_CASE("values over 64 bits", "[case][errors]") {
  CHECK(with("/ops/0/size", "0x10000000000000000").pointer == "/ops/0/size");
  CHECK(with("/ops/0/size", "18446744073709551616").problem ==
        "\"18446744073709551616\" does not fit in 64 bits");
  // As a JSON number it can only arrive as text; nlohmann makes it a double.
  json j = json::parse(R"({"x": 18446744073709551616})");
  const Outcome o = with("/config/device/seg_boundary_mask", j["x"]);
  CHECK(o.pointer == "/config/device/seg_boundary_mask");
  CHECK(o.problem == "value does not fit in 64 bits");
  CHECK(with("/config/ias", "0x100000000").pointer == "/config/ias");  // ias is 32-bit
}

TEST_CASE("bad digits", "[case][errors]") {
  const Outcome o = with("/ops/0/page", "0x10g0");
  CHECK(o.pointer == "/ops/0/page");
  CHECK(o.problem == "bad hex digit 'g' in \"0x10g0\"");
  CHECK(with("/ops/0/size", "09").problem == "bad octal digit '9' in \"09\"");
  CHECK(with("/ops/0/size", "12ab").problem == "bad decimal digit 'a' in \"12ab\"");
  CHECK(with("/ops/0/size", "").problem == "empty number");
  CHECK(with("/ops/0/size", "0x").problem == "no hex digits after 0x");
  CHECK(with("/ops/0/size", " 1").pointer == "/ops/0/size");
}

TEST_CASE("missing required fields", "[case][errors]") {
  for (const char* key : {"iovet", "name", "target", "ops"}) {
    json j = base_dma();
    j.erase(key);
    const Outcome o = error_of(j);
    CHECK(o.pointer == std::string("/") + key);
    CHECK(o.problem == std::string("missing required field '") + key + "'");
  }
  json j = base_dma();
  j["ops"][1]["sg"][1].erase("length");
  CHECK(error_of(j).pointer == "/ops/1/sg/1/length");
  j = base_dma();
  j["ops"][0].erase("dir");
  CHECK(error_of(j).pointer == "/ops/0/dir");
  j = base_dma();
  j["ops"][3].erase("id");  // access needs id or iova
  CHECK(error_of(j).pointer == "/ops/3/iova");
}

TEST_CASE("header checks", "[case][errors]") {
  CHECK(with("/iovet", 2).problem == "format version 2 is not supported (this iovet reads 1)");
  CHECK(with("/name", "Bad Name").pointer == "/name");
  CHECK(with("/name", "").pointer == "/name");
  CHECK(with("/target", "gpu").problem == "unknown target 'gpu' (known: dma, iova, pgtable, smmu)");
}

TEST_CASE("unknown and misplaced ops", "[case][errors]") {
  Outcome o = with("/ops/3/op", "frobnicate");
  CHECK(o.pointer == "/ops/3/op");
  CHECK(o.problem == "unknown op 'frobnicate' for target dma");
  o = with("/ops/2/op", "map");
  CHECK(o.pointer == "/ops/2/op");
  CHECK(o.problem == "op 'map' belongs to target pgtable, not dma");
  // alloc exists for dma and iova with different fields: the case's target decides.
  json j = base_dma();
  j["target"] = "iova";
  o = error_of(j);
  CHECK(o.pointer == "/ops/0/op");
  CHECK(o.problem == "op 'map_page' belongs to target dma, not iova");
  j = json::parse(R"({"iovet": 1, "name": "i", "target": "iova", "ops": [{"op": "alloc", "id": "c", "size": 1}]})");
  CHECK(error_of(j).pointer == "/ops/0/limit_pfn");
}

TEST_CASE("unknown enum strings", "[case][errors]") {
  Outcome o = with("/ops/0/dir", "sideways");
  CHECK(o.pointer == "/ops/0/dir");
  CHECK(o.problem == "unknown dir 'sideways' (known: bidirectional, to_device, from_device)");
  CHECK(with("/config/format", "x86").pointer == "/config/format");
  CHECK(with("/config/pgtable", "fast").pointer == "/config/pgtable");
  CHECK(with("/config/partial_unmap", "ignore").pointer == "/config/partial_unmap");
  json j = json::parse(R"({"iovet": 1, "name": "p", "target": "pgtable", "ops": [
      {"op": "map", "iova": 0, "paddr": 0, "pgsize": 4096, "prot": ["read", "exec"]},
      {"op": "map", "iova": 0, "paddr": 0, "pgsize": 4096, "prot": ["read"], "expect": {"error": "EBUSY"}}]})");
  o = error_of(j);
  CHECK(o.pointer == "/ops/0/prot/1");
  CHECK(o.problem == "unknown prot flag 'exec' (known: read, write, noexec, cache, mmio, priv)");
  j["ops"][0]["prot"] = json::array({"read"});
  CHECK(error_of(j).pointer == "/ops/1/expect/error");
}

TEST_CASE("expectations that no op checks", "[case][errors]") {
  CHECK(with("/ops/0/expect", json{{"count", 1}}).problem ==
        "expectation 'count' does not apply to op map_page");
  CHECK(with("/ops/0/expect", json{{"count", 1}}).pointer == "/ops/0/expect/count");
  CHECK(with("/ops/4/expect", json{{"error", true}}).pointer == "/ops/4/expect/error");
  // An errno name is a pgtable expectation only.
  CHECK(with("/ops/0/expect", json{{"error", "EEXIST"}}).problem ==
        "expected true or false, got a string");
}

TEST_CASE("scatterlist and page shape", "[case][errors]") {
  CHECK(with("/ops/1/sg/1/length", 0).problem == "length must be > 0");
  CHECK(with("/ops/1/sg", json::array()).pointer == "/ops/1/sg");
  const Outcome o = with("/ops/1/sg/0/page", "0x2001");
  CHECK(o.pointer == "/ops/1/sg/0/page");
  CHECK(o.problem == "0x2001 is not aligned to page_size 4096");
  CHECK(with("/ops/0/page", 4096 * 3 + 512).pointer == "/ops/0/page");
}

TEST_CASE("dangling and doubly created ids", "[case][errors][ids]") {
  Outcome o = with("/ops/4/id", "nope");
  CHECK(o.pointer == "/ops/4/id");
  CHECK(o.problem == "id 'nope' was never created by an earlier op");
  o = with("/ops/4/id", "s");  // unmap_page of a map_sg handle
  CHECK(o.pointer == "/ops/4/id");
  CHECK(o.problem == "id 's' was made by map_sg; unmap_page needs an id made by map_page");
  CHECK(with("/ops/6/id", "p").pointer == "/ops/6/id");    // free of a streaming mapping
  CHECK(with("/ops/3/id", "zz").pointer == "/ops/3/id");   // access
  o = with("/ops/2/id", "p");  // alloc over the live map_page id
  CHECK(o.pointer == "/ops/2/id");
  CHECK(o.problem == "id 'p' is created again while still live (created by op 0)");
  // A reference before the creating op is dangling too.
  json j = base_dma();
  j["ops"].insert(j["ops"].begin(), json{{"op", "iommu_unmap"}, {"id", "c"}});
  CHECK(error_of(j).pointer == "/ops/0/id");
  j = json::parse(R"({"iovet": 1, "name": "i", "target": "iova", "ops": [
      {"op": "alloc", "id": "a", "size": 1, "limit_pfn": 100},
      {"op": "alloc", "id": "a", "size": 1, "limit_pfn": 100}]})");
  CHECK(error_of(j).pointer == "/ops/1/id");
  j["ops"][1] = {{"op", "free"}, {"id", "b"}};
  CHECK(error_of(j).pointer == "/ops/1/id");
}

TEST_CASE("unknown rule ids", "[case][errors]") {
  Outcome o = with("/expect/rules/1", "sg.bogus");
  CHECK(o.pointer == "/expect/rules/1");
  CHECK(o.problem == "unknown rule id 'sg.bogus'");
  CHECK(with("/expect/allow", json::array({"dma.misuse", 3})).pointer == "/expect/allow/1");
}

TEST_CASE("unknown fields: an error under strict, a warning otherwise", "[case][errors]") {
  for (const char* p : {"/colour", "/ops/2/colour", "/ops/1/sg/0/colour", "/config/device/colour",
                        "/config/colour", "/expect/colour", "/ops/3/expect/colour"}) {
    json j = base_dma();
    j["ops"][3]["expect"] = json::object();
    j[json::json_pointer(p)] = 1;
    const Outcome o = error_of(j, true);
    CHECK(o.pointer == p);
    CHECK(o.problem == "unknown field 'colour'");
    std::vector<std::string> warnings;
    CHECK_NOTHROW(parse_case(j, "bad.json", false, &warnings));
    CHECK(warnings == std::vector<std::string>{"bad.json: " + std::string(p) +
                                               ": unknown field 'colour' ignored"});
  }
  // Pointer syntax escapes '/' and '~' in key names.
  json j = base_dma();
  j["a/b~c"] = 1;
  CHECK(error_of(j, true).pointer == "/a~1b~0c");
}

TEST_CASE("impossible configs", "[case][errors]") {
  Outcome o = with("/config/device/seg_boundary_mask", "0x1000");
  CHECK(o.pointer == "/config/device/seg_boundary_mask");
  CHECK(o.problem == "must be 2^k - 1");
  CHECK(with("/config/page_size", 8192).pointer == "/config/page_size");
  CHECK(with("/config/device/max_seg_size", 0).pointer == "/config/device/max_seg_size");
  CHECK(with("/config/domain/reserved", json::parse(R"([[1, 2], ["0x10", "0x1"]])")).pointer ==
        "/config/domain/reserved/1");
  CHECK(with("/config/start_pfn", 0).pointer == "/config/start_pfn");
}

TEST_CASE("bad PCI host bridges", "[case][errors]") {
  CHECK(with("/config/device/pci", 1).problem == "expected an object, got a number");
  CHECK(with("/config/device/pci", json::parse(R"({"windows": [[1, 2], [5, 4]]})")).pointer ==
        "/config/device/pci/windows/1");
  CHECK(with("/config/device/pci", json::parse(R"({"windows": {}})")).pointer == "/config/device/pci/windows");
  CHECK(with("/config/device/pci", json::parse(R"({"dma_ranges": [{"start": 1}]})")).pointer ==
        "/config/device/pci/dma_ranges/0/end");
  CHECK(with("/config/device/pci", json::parse(R"({"dma_ranges": [{"start": 9, "end": 8}]})")).pointer ==
        "/config/device/pci/dma_ranges/0");
  const Outcome o = with("/config/device/pci", json::parse(R"({"dma_ranges": [{"start": "0x1000", "end": "0x1fff", "offset": "0x2000"}]})"));
  CHECK(o.pointer == "/config/device/pci/dma_ranges/0/offset");
  CHECK(o.problem == "above start: the bus address start - offset would be negative");
  CHECK(with("/config/device/pci", json::parse(R"({"dma_ranges": [{"start": 0, "end": "0xffffffffffffffff"}]})")).pointer ==
        "/config/device/pci/dma_ranges/0/end");
  CHECK(with("/config/device/pci", json::parse(R"({"dma_ranges": [{"start": 0, "end": 1, "bus": 0}]})"), true).pointer ==
        "/config/device/pci/dma_ranges/0/bus");
}

TEST_CASE("malformed and truncated JSON text", "[case][errors]") {
  const std::string good = base_dma().dump();
  const std::string cut = good.substr(0, 40);
  try {
    parse_case_text(cut, "trunc.json", false, nullptr);
    FAIL("accepted truncated JSON");
  } catch (const InputError& e) {
    CHECK(e.file == "trunc.json");
    CHECK(e.pointer == "");
    // nlohmann counts the end of input as one byte past the text.
    CHECK(e.problem.rfind("malformed JSON at byte 41: ", 0) == 0);
  }
  try {
    parse_case_text(R"({"iovet": 1,, "name": "x"})", "m.json", false, nullptr);
    FAIL("accepted malformed JSON");
  } catch (const InputError& e) {
    CHECK(e.problem.rfind("malformed JSON at byte 13: ", 0) == 0);
  }
  CHECK_NOTHROW(parse_case_text(good, "ok.json", true, nullptr));
}

TEST_CASE("load_case names the path it read", "[case][errors]") {
  namespace fs = std::filesystem;
  const fs::path d = test::fresh_temp_dir("load");
  const fs::path f = d / "cut.json";
  const std::string cut = R"({"iovet": 1, "name": "cut", "target": "dma", "ops": [)";
  std::ofstream(f) << cut;
  try {
    load_case(f.string(), false, nullptr);
    FAIL("accepted a truncated file");
  } catch (const InputError& e) {
    CHECK(e.file == f.string());
    INFO(e.problem);
    CHECK(e.problem.rfind("malformed JSON at byte " + std::to_string(cut.size() + 1) + ": ", 0) == 0);
  }
  std::ofstream(f) << R"({"iovet": 1, "name": "ok", "target": "dma", "ops": []})";
  CHECK(load_case(f.string(), true, nullptr).name == "ok");
  for (const fs::path& p : {d / "missing.json", d}) {
    try {
      load_case(p.string(), false, nullptr);
      FAIL("accepted " << p);
    } catch (const InputError& e) {
      CHECK(e.file == p.string());
    }
  }
  fs::remove_all(d);
}
