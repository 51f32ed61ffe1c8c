#include <catch2/catch.hpp>

#include "case/case_json.h"
#include "case_compare.h"
#include "case_gen.h"

using namespace iovet;
using json = nlohmann::ordered_json;

namespace {

Case parse_strict(const std::string& text) {
  std::vector<std::string> warnings;
  Case c = parse_case_text(text, "t.json", true, &warnings);
  REQUIRE(warnings.empty());
  return c;
}

}  // namespace

TEST_CASE("random cases survive write then parse, byte for byte", "[case][roundtrip]") {
  std::mt19937_64 rng(20241121);
  int with_config = 0, per_target[3] = {0, 0, 0};
  for (int i = 0; i < 600; ++i) {
    const Case c = test::random_case(rng, i);
    const std::string text = case_to_text(c);
    INFO(text);
    const Case back = parse_strict(text);
    CHECK(test::case_difference(c, back) == "");
    CHECK(case_to_text(back) == text);
    with_config += text.find("\"config\"") != std::string::npos;
    ++per_target[static_cast<int>(c.target)];
  }
  // The generator really covers configs and every target.
  CHECK(with_config > 100);
  CHECK(per_target[0] > 100);
  CHECK(per_target[1] > 100);
  CHECK(per_target[2] > 100);
}

TEST_CASE("the largest 64-bit value survives as number and as string", "[case][roundtrip]") {
  const std::string text = R"({"iovet": 1, "name": "max", "target": "pgtable", "ops": [
      {"op": "map", "iova": 18446744073709551615, "paddr": "0xffffffffffffffff",
       "pgsize": "01777777777777777777777", "prot": []}]})";
  const Case c = parse_strict(text);
  const auto& m = std::get<op::PtMap>(c.ops[0].body);
  CHECK(m.iova == ~u64{0});
  CHECK(m.paddr == ~u64{0});
  CHECK(m.pgsize == ~u64{0});
  const json out = case_to_json(c);
  CHECK(out["ops"][0]["iova"] == "0xffffffffffffffff");
  CHECK(out["ops"][0]["pgsize"] == "0xffffffffffffffff");  // too big for a double: hex
  const Case back = parse_strict(case_to_text(c));
  CHECK(std::get<op::PtMap>(back.ops[0].body) == m);
}

TEST_CASE("the canonical form: key order, hex addresses, numeric sizes, defaults left out",
          "[case][write]") {
  // Keys deliberately out of order, numbers in every accepted spelling.
  const std::string text = R"({
    "provenance": {"seed": 7, "found_by": "check"},
    "expect": {"allow": ["dma.misuse"], "rules": ["dma.crash"]},
    "ops": [
      {"dir": "to_device", "size": "0x100", "offset": "010", "page": 1073745920, "id": "a", "op": "map_page"},
      {"op": "unmap_page", "id": "a"},
      {"op": "unmap_page", "id": "a"}
    ],
    "config": {"device": {"seg_boundary_mask": "0xffff", "coherent": true}, "page_size": 4096},
    "variant": "seed-v5",
    "target": "dma",
    "description": "unmap_page twice on the same handle",
    "name": "seed-v5-double-unmap",
    "iovet": 1
  })";
  const std::string expected = R"({
  "iovet": 1,
  "name": "seed-v5-double-unmap",
  "description": "unmap_page twice on the same handle",
  "target": "dma",
  "variant": "seed-v5",
  "config": {
    "device": {
      "seg_boundary_mask": "0xffff"
    }
  },
  "ops": [
    {
      "op": "map_page",
      "id": "a",
      "page": "0x40001000",
      "offset": 8,
      "size": 256,
      "dir": "to_device"
    },
    {
      "op": "unmap_page",
      "id": "a"
    },
    {
      "op": "unmap_page",
      "id": "a"
    }
  ],
  "expect": {
    "rules": [
      "dma.crash"
    ],
    "allow": [
      "dma.misuse"
    ]
  },
  "provenance": {
    "seed": 7,
    "found_by": "check"
  }
}
)";
  CHECK(case_to_text(parse_strict(text)) == expected);
}

TEST_CASE("defaults of optional fields are filled in", "[case][parse]") {
  const Case c = parse_strict(R"({"iovet": 1, "name": "d", "target": "iova", "ops": [
      {"op": "alloc", "id": "x", "size": 3, "limit_pfn": "0xfffff"},
      {"op": "free", "id": "x"}]})");
  CHECK(c.description.empty());
  CHECK_FALSE(c.variant);
  CHECK(c.config.start_pfn == 1);
  CHECK(c.config.device.dma_mask == 0xffffffff);
  CHECK(c.provenance.is_null());
  const auto& a = std::get<op::IovaAlloc>(c.ops[0].body);
  CHECK(a.aligned);
  CHECK_FALSE(a.fast);
  CHECK(a.limit_pfn == 0xfffff);
  CHECK_FALSE(std::get<op::IovaFree>(c.ops[1].body).fast);
  // No config object is written when everything is the default.
  CHECK(case_to_json(c).contains("config") == false);
}

TEST_CASE("every config field is read from its nested place", "[case][parse]") {
  const Case c = parse_strict(R"({"iovet": 1, "name": "cfg", "target": "dma", "ops": [],
    "config": {"page_size": 16384, "granule": "0x10000", "format": "arm64-lpae-s2",
      "ias": 40, "oas": "44", "pgtable": "ref", "partial_unmap": "split", "start_pfn": 16,
      "domain": {"aperture": ["0x1000", "0xfffffffff"], "reserved": [[134217728, "0x80fffff"]]},
      "device": {"dma_mask": "0xffffffffff", "coherent_dma_mask": "0xffffffff",
        "seg_boundary_mask": "0xffff", "max_seg_size": "0xffffffff", "coherent": false}}})");
  const Config& k = c.config;
  CHECK(k.page_size == 16384);
  CHECK(k.granule == 65536);
  CHECK(k.format == Format::arm64_lpae_s2);
  CHECK(k.ias == 40);
  CHECK(k.oas == 44);
  CHECK(k.pgtable == PgtableKind::ref);
  CHECK(k.partial_unmap == PartialUnmap::split);
  CHECK(k.start_pfn == 16);
  CHECK(k.domain.aperture == Range{0x1000, 0xfffffffff});
  REQUIRE(k.domain.reserved.size() == 1);
  CHECK(k.domain.reserved[0] == Range{0x8000000, 0x80fffff});
  CHECK(k.device.dma_mask == 0xffffffffff);
  CHECK(k.device.coherent_dma_mask == 0xffffffffu);
  CHECK(k.device.seg_boundary_mask == 0xffff);
  CHECK(k.device.max_seg_size == 0xffffffff);
  CHECK_FALSE(k.device.coherent);
  CHECK_FALSE(k.device.pci);  // a platform device unless the case says otherwise
}

TEST_CASE("a PCI device's host-bridge windows and dma-ranges are read and written back", "[case][parse]") {
  const Case c = parse_strict(R"({"iovet": 1, "name": "pci", "target": "dma", "ops": [],
    "config": {"device": {"pci": {"windows": [["0x40000000", "0x5fffffff"]],
      "dma_ranges": [{"start": "0x80000000", "end": "0xffffffff", "offset": "0x80000000"},
                     {"start": 0, "end": "0x3fffffff"}]}}}})");
  REQUIRE(c.config.device.pci);
  const PciHostBridge& b = *c.config.device.pci;
  CHECK(b.windows == std::vector<Range>{{0x40000000, 0x5fffffff}});
  REQUIRE(b.dma_ranges.size() == 2);
  CHECK(b.dma_ranges[0] == PciDmaRange{0x80000000, 0xffffffff, 0x80000000});
  CHECK(b.dma_ranges[0].bus_start() == 0);
  CHECK(b.dma_ranges[1] == PciDmaRange{0, 0x3fffffff, 0});
  // The order firmware gave is kept (the kernel sorts); a zero offset is left out.
  CHECK(case_to_json(c)["config"]["device"]["pci"].dump() ==
        R"({"windows":[["0x40000000","0x5fffffff"]],"dma_ranges":[{"start":"0x80000000","end":"0xffffffff","offset":"0x80000000"},{"start":"0x0","end":"0x3fffffff"}]})");
  // A PCI device with no windows and no dma-ranges is still a PCI device.
  Case empty = c;
  empty.config.device.pci = PciHostBridge{};
  CHECK(case_to_json(empty)["config"]["device"]["pci"].dump() == "{}");
  CHECK(parse_strict(case_to_text(empty)).config.device.pci == PciHostBridge{});
}

TEST_CASE("alternative op forms and expectations parse as meant", "[case][parse]") {
  const Case d = parse_strict(R"({"iovet": 1, "name": "alt", "target": "dma", "ops": [
      {"op": "map_sg", "id": "s", "dir": "from_device", "expect": {"count": 1},
       "sg": [{"page": "0x1000", "offset": 0, "length": 4096}, {"page": 8192, "offset": 4, "length": 1}]},
      {"op": "access", "id": "s", "offset": 4096, "write": true, "expect": {"fault": false, "phys": "0x2004"}},
      {"op": "access", "iova": "0x5000", "expect": {"fault": true}},
      {"op": "iommu_unmap", "id": "s"},
      {"op": "iommu_unmap", "iova": "0x1000", "size": 4096},
      {"op": "unmap_sg", "id": "s"},
      {"op": "unmap_page_raw", "dma": "0xdead000", "size": 4096, "dir": "bidirectional"},
      {"op": "alloc", "id": "c", "size": 8192, "expect": {"error": false}},
      {"op": "free", "id": "c"}]})");
  const auto& sg = std::get<op::MapSg>(d.ops[0].body);
  CHECK(sg.sg == std::vector<SgEntry>{{0x1000, 0, 4096}, {0x2000, 4, 1}});
  CHECK(d.ops[0].expect.count == 1u);
  CHECK(std::get<op::Access>(d.ops[1].body) == op::Access{"s", 4096, 0, true});
  CHECK(d.ops[1].expect.phys == 0x2004u);
  CHECK(d.ops[1].expect.fault == false);
  CHECK(std::get<op::Access>(d.ops[2].body) == op::Access{std::nullopt, 0, 0x5000, false});
  CHECK(std::get<op::IommuUnmap>(d.ops[3].body).id == "s");
  CHECK(std::get<op::IommuUnmap>(d.ops[4].body) == op::IommuUnmap{std::nullopt, 0x1000, 4096});
  CHECK(d.ops[7].expect.error == false);

  const Case p = parse_strict(R"({"iovet": 1, "name": "pt", "target": "pgtable", "ops": [
      {"op": "map", "iova": "0x1000", "paddr": "0x2000", "pgsize": 4096, "prot": ["write", "read", "priv"],
       "expect": {"error": "EEXIST"}},
      {"op": "map", "iova": "0x1000", "paddr": "0x2000", "pgsize": 4096, "pgcount": 2, "prot": [],
       "expect": {"error": true, "mapped": 0}},
      {"op": "unmap", "iova": "0x1000", "pgsize": 4096, "expect": {"unmapped": 4096}},
      {"op": "iova_to_phys", "iova": "0x1000", "expect": {"phys": 0}}]})");
  const auto& m = std::get<op::PtMap>(p.ops[0].body);
  CHECK(m.prot == (prot::read | prot::write | prot::priv));
  CHECK(m.pgcount == 1);
  CHECK(p.ops[0].expect.errno_name == "EEXIST");
  CHECK_FALSE(p.ops[0].expect.error);
  CHECK(std::get<op::PtMap>(p.ops[1].body).pgcount == 2);
  CHECK(p.ops[1].expect.error == true);
  CHECK(p.ops[2].expect.unmapped == 4096u);
  CHECK(p.ops[3].expect.phys == 0u);
  CHECK(case_to_json(p)["ops"][0]["prot"] == json::array({"read", "write", "priv"}));
  CHECK(case_to_json(p)["ops"][0]["expect"]["error"] == "EEXIST");
}

TEST_CASE("ids may be reused once released, and released twice", "[case][ids]") {
  const Case c = parse_strict(R"({"iovet": 1, "name": "ids", "target": "dma", "ops": [
      {"op": "map_page", "id": "a", "page": 0, "offset": 0, "size": 1, "dir": "to_device"},
      {"op": "unmap_page", "id": "a"},
      {"op": "unmap_page", "id": "a"},
      {"op": "map_sg", "id": "a", "dir": "to_device", "sg": [{"page": 0, "offset": 0, "length": 1}]},
      {"op": "access", "id": "a", "offset": 0},
      {"op": "unmap_sg", "id": "a"}]})");
  CHECK(c.ops.size() == 6);
}
