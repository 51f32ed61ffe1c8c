// Judges the toy allocator with every iova property of iovet, as `iovet check --target iova`
// judges the kernel's: registered as a variant, run, reported. Exit 1 when a contract rule
// breaks (the planted bug), 0 with --fixed.
#include <cstring>
#include <iostream>

#include "props/catalog.h"
#include "props/property.h"
#include "report/report.h"
#include "run/variants.h"
#include "toy_iova.h"

int main(int argc, char** argv) {
  const bool fixed = argc > 1 && std::strcmp(argv[1], "--fixed") == 0;
  iovet::Variant v{"toy-iova", "examples/toy_iova.cpp", fixed ? "the toy allocator" : "the toy allocator, bug planted"};
  v.iova = [fixed](const iovet::Config& c, iovet::u64 start_pfn, iovet::u64) -> std::unique_ptr<iovet::IovaAllocator> {
    return std::make_unique<toy::ToyIova>(c.granule, start_pfn, !fixed);
  };
  iovet::register_variant(std::move(v));

  iovet::Report rep{"check", 1, "toy-iova", 0, {}};
  iovet::CampaignOptions opt;
  opt.runs = 200;
  opt.variant = "toy-iova";
  for (const iovet::Property& p : iovet::properties_for(iovet::Target::iova)) {
    const iovet::PropertyResult r = iovet::check_property(p, opt);
    rep.rows.push_back({r.name, "property", r.status, {r.rules.begin(), r.rules.end()}, r.message, "", r.time_s,
                        static_cast<iovet::u64>(r.runs), r.counters});
    rep.elapsed_s += r.time_s;
  }
  std::cout << iovet::render_text(rep);
  return iovet::exit_code(rep, false);
}
