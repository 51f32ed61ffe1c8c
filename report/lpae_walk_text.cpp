#include "report/lpae_walk_text.h"

#include "impl/lpae_pte.h"

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

}  // namespace

// The stage decides which fields exist.
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

std::string walk_step_meaning(const WalkFigure& w, const WalkFigure::Step& st) {
  switch (st.kind) {
    case WalkFigure::Kind::invalid: return "invalid: translation fault";
    case WalkFigure::Kind::leaf:
      return (st.level == ARM_LPAE_MAX_LEVELS - 1 ? "page " : "block ") + hex(st.leaf_size) +
             leaf_fields(w.fmt, st.pte, w.granule);
    case WalkFigure::Kind::reserved: return "reserved descriptor type";
    case WalkFigure::Kind::table:
      return "table -> " + hex(iopte_to_paddr(st.pte, w.granule)) + bit("NSTable", st.pte, ARM_LPAE_PTE_NSTABLE);
  }
  return "?";
}

std::string walk_refused(const WalkFigure& w) {
  if (!w.has_table) return "walk: this table has no descriptors to walk";
  if (w.iova >> w.ias) return "walk: " + hex(w.iova) + " is beyond ias (" + std::to_string(w.ias) + " bits): no walk, a fault";
  return "";
}

std::vector<std::string> lpae_walk_lines(const WalkFigure& w) {
  if (std::string why = walk_refused(w); !why.empty()) return {why};
  std::vector<std::string> out;
  for (const WalkFigure::Step& st : w.steps)
    out.push_back("walk L" + std::to_string(st.level) + ": table " + hex(st.table) + " [" + std::to_string(st.index) +
                  "] = " + hex(st.pte) + " " + walk_step_meaning(w, st));
  return out;
}

}  // namespace iovet
