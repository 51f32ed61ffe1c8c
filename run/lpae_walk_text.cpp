#include "run/lpae_walk_text.h"

namespace iovet {
namespace {

using namespace lpae;

std::string bit(const char* name, u64 pte, u64 mask) { return std::string(" ") + name + "=" + ((pte & mask) ? "1" : "0"); }

std::string sh_name(u64 pte) {
  switch ((pte >> ARM_LPAE_PTE_SH_SHIFT) & 3) {
    case 0: return "NS";
    case 2: return "OS";
    case 3: return "IS";
  }
  return "reserved";
}

// The leaf attributes as VMSAv8-64 names them, the stage deciding which fields exist.
std::string leaf_fields(Format fmt, u64 pte, u64 granule) {
  std::string s = " OA=" + hex(iopte_to_paddr(pte, granule));
  if (fmt == Format::arm64_lpae_s1) {
    static const char* attr[] = {"NC", "cache", "device"};
    const unsigned idx = (pte >> ARM_LPAE_PTE_ATTRINDX_SHIFT) & 7;
    s += " AttrIndx=" + std::to_string(idx) + (idx < 3 ? std::string(" (") + attr[idx] + ")" : "");
    s += bit("NS", pte, ARM_LPAE_PTE_NS);
    s += std::string(" AP=") + ((pte & ARM_LPAE_PTE_AP_RDONLY) ? "RO" : "RW") +
         ((pte & ARM_LPAE_PTE_AP_UNPRIV) ? ",unpriv" : ",priv");
  } else {
    static const char* s2ap[] = {"none", "R", "W", "RW"};
    s += " MemAttr=" + hex((pte & ARM_LPAE_PTE_MEMATTR_MASK) >> 2);
    s += std::string(" S2AP=") + s2ap[(pte >> 6) & 3];
  }
  s += " SH=" + sh_name(pte);
  s += bit("AF", pte, ARM_LPAE_PTE_AF);
  if (fmt == Format::arm64_lpae_s1) s += bit("nG", pte, ARM_LPAE_PTE_nG);
  s += bit("DBM", pte, ARM_LPAE_PTE_DBM);
  s += " XN=" + std::to_string((pte & ARM_LPAE_PTE_XN) >> 53);
  return s;
}

}  // namespace

std::vector<std::string> lpae_walk_lines(const ArmLpaePgtable& pt, u64 iova) {
  const LpaeGeometry& g = pt.geometry();
  if (iova >> g.ias) return {"walk: " + hex(iova) + " is beyond ias (" + std::to_string(g.ias) + " bits): no walk, a fault"};
  const LpaePteWalk w = pt.pgtable_walk(iova);
  std::vector<std::string> out;
  u64 tbl = pt.pgd_pa();
  for (int lvl = g.start_level; lvl < ARM_LPAE_MAX_LEVELS; ++lvl) {
    const u64 pte = w.ptes[lvl];
    std::string s = "walk L" + std::to_string(lvl) + ": table " + hex(tbl) + " [" + std::to_string(g.lvl_idx(iova, lvl)) +
                    "] = " + hex(pte) + " ";
    if (!(pte & 1)) {
      out.push_back(s + "invalid: translation fault");
      break;
    }
    if (iopte_leaf(pte, lvl)) {
      out.push_back(s + (lvl == ARM_LPAE_MAX_LEVELS - 1 ? "page " : "block ") + hex(g.block_size(lvl)) +
                    leaf_fields(g.fmt, pte, g.granule()));
      break;
    }
    if (!iopte_table(pte, lvl)) {
      out.push_back(s + "reserved descriptor type");
      break;
    }
    tbl = iopte_to_paddr(pte, g.granule());
    out.push_back(s + "table -> " + hex(tbl) + bit("NSTable", pte, ARM_LPAE_PTE_NSTABLE));
  }
  return out;
}

}  // namespace iovet
