#include "props/catalog.h"

#include "props/gen_dma.h"
#include "props/gen_iova.h"

namespace iovet {
namespace {

void add_all(std::vector<Property>& out, const std::string& workload, Target t,
             std::initializer_list<const char*> rules, std::function<rc::Gen<Case>(const std::string&)> gen) {
  for (const char* r : rules) out.push_back({workload + "/" + r, t, r, gen});
}

}  // namespace

std::vector<Property> properties_for(Target t) {
  using gen::DmaWorkload;
  std::vector<Property> p;
  if (t == Target::dma) {
    add_all(p, "dma.sg", t,
            {"sg.translation", "sg.length", "sg.order", "sg.max_seg_size", "sg.boundary", "sg.dma_mask", "sg.count",
             "sg.restore", "sg.contiguity"},
            [](const std::string& v) { return gen::dma_case(DmaWorkload::sg, v); });
    add_all(p, "dma.stateful", t,
            {"dma.crash", "dma.bug", "dma.offset", "dma.misuse", "dma.leak", "sg.dma_mask", "pt.translation",
             "pt.permission"},
            [](const std::string& v) { return gen::dma_case(DmaWorkload::stateful, v); });
    add_all(p, "dma.bogus", t, {"dma.crash", "dma.bug", "dma.misuse"},
            [](const std::string& v) { return gen::dma_case(DmaWorkload::bogus, v); });
  } else if (t == Target::iova) {
    add_all(p, "iova.stateful", t, {"iova.overlap", "iova.alignment", "iova.window", "iova.zero", "iova.spurious_failure"},
            [](const std::string& v) { return gen_iova_case(v); });
  }
  return p;
}

}  // namespace iovet
