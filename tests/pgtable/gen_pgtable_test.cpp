// The generated pgtable workloads reach every outcome the pt rules judge: overlaps, range and
// argument errors, refused and split partial unmaps, and empty tables at the end.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "props/gen_pgtable.h"
#include "run/run.h"

using namespace iovet;

TEST_CASE("generated pgtable cases are valid and cover every outcome", "[pgtable][gen]") {
  const auto gen = gen::pgtable_case(PgtableKind::impl, "");
  std::map<std::string, int> seen;
  std::set<std::string> configs;
  for (int i = 0; i < 400; ++i) {
    const Case c = gen(rc::Random(1000 + i), 100).value();
    CHECK(c.ops.size() <= 30);
    configs.insert(std::string(format_name(c.config.format)) + "/" + std::to_string(c.config.granule) + "/" +
                   std::to_string(c.config.ias) + "/" + std::to_string(c.config.oas));
    const RunResult r = run_case(c, {"", true});  // never an InputError
    CHECK(r.violations.empty());
    for (const TraceLine& t : r.trace)
      for (const char* k : {"-> -EEXIST", "-> -ERANGE", "-> -EINVAL", "Unmap of a partial large IOPTE",
                            "0 leaves, 1 table page(s)", "pgcount=5", "pgsize=0x40000000", "pgsize=0x40000000000"})
        seen[k] += t.text.find(k) != std::string::npos;
    // A split: an unmap that leaves more table pages than there were before it.
    std::size_t pages = 1;
    bool unmap = false;
    for (const TraceLine& t : r.trace) {
      if (t.text.rfind("unmap ", 0) == 0) unmap = true;
      if (t.text.rfind("map ", 0) == 0) unmap = false;
      if (const auto at = t.text.find(" leaves, "); at != std::string::npos) {
        const std::size_t now = std::stoul(t.text.substr(at + 9));
        seen["split"] += unmap && now > pages;
        pages = now;
      }
    }
  }
  INFO(configs.size() << " configs");
  CHECK(configs.size() > 60);
  for (const auto& [k, n] : seen) {
    INFO(k);
    CHECK(n > 3);
  }
  CHECK(seen.size() == 9);
}
