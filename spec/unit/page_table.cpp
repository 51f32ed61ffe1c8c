#include "spec/unit/page_table.h"

#include <algorithm>

namespace iovet {

std::string_view errno_name(int e) {
  switch (e < 0 ? -e : e) {
    case 0: return "";
    case err::einval: return "EINVAL";
    case err::erange: return "ERANGE";
    case err::eexist: return "EEXIST";
    case err::enomem: return "ENOMEM";
  }
  return "E?";
}

// iommu_iotlb_gather_add_page(): one range plus the list of every flush asked for.
void IotlbGather::add(const TlbFlush& f) {
  start = std::min(start, f.iova);
  end = std::max(end, f.iova + f.size - 1);
  pgsize = f.granule;
  flushes.push_back(f);
}

}  // namespace iovet
