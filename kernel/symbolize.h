// Where in the kernel source a fault happened: an instruction's offset in a built kernel object
// turned into functions and lines by addr2line (binutils), as the kernel's own oops reports
// name them. The objects are built with -g and -ffile-prefix-map, so paths are tree-relative.
#pragma once
#include <cstdint>
#include <string>

namespace iovet {

// " in f (drivers/iommu/iova.c:711), inlined in g (drivers/iommu/iova.c:805)", or "" when
// addr2line is missing or knows nothing. Cached per (object, offset).
std::string source_location(const std::string& so_path, std::uint64_t offset);

}  // namespace iovet
