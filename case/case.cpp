#include "case/case.h"

namespace iovet {

std::string_view target_name(Target t) {
  switch (t) {
    case Target::dma: return "dma";
    case Target::iova: return "iova";
    case Target::pgtable: return "pgtable";
    case Target::smmu: return "smmu";
  }
  return "?";
}

bool parse_target(std::string_view s, Target& out) {
  for (Target t : {Target::dma, Target::iova, Target::pgtable, Target::smmu})
    if (s == target_name(t)) {
      out = t;
      return true;
    }
  return false;
}

std::string_view op_name(const OpBody& b) {
  struct V {
    std::string_view operator()(const op::MapPage&) const { return "map_page"; }
    std::string_view operator()(const op::UnmapPage&) const { return "unmap_page"; }
    std::string_view operator()(const op::UnmapPageRaw&) const { return "unmap_page_raw"; }
    std::string_view operator()(const op::MapSg&) const { return "map_sg"; }
    std::string_view operator()(const op::UnmapSg&) const { return "unmap_sg"; }
    std::string_view operator()(const op::Alloc&) const { return "alloc"; }
    std::string_view operator()(const op::Free&) const { return "free"; }
    std::string_view operator()(const op::IommuUnmap&) const { return "iommu_unmap"; }
    std::string_view operator()(const op::Access&) const { return "access"; }
    std::string_view operator()(const op::IovaAlloc&) const { return "alloc"; }
    std::string_view operator()(const op::IovaFree&) const { return "free"; }
    std::string_view operator()(const op::IovaReserve&) const { return "reserve"; }
    std::string_view operator()(const op::PtMap&) const { return "map"; }
    std::string_view operator()(const op::PtUnmap&) const { return "unmap"; }
    std::string_view operator()(const op::PtIovaToPhys&) const { return "iova_to_phys"; }
    std::string_view operator()(const op::Attach&) const { return "attach"; }
    std::string_view operator()(const op::FqTimeout&) const { return "fq_timeout"; }
  };
  return std::visit(V{}, b);
}

}  // namespace iovet
