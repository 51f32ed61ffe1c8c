// The specification of an io-pgtable (rules pt.*): keeps its own model of the live mappings
// from the map/unmap requests and what they returned, and judges each op from observations a
// runner hands in as data (the walk of the tables into leaves, the table-page count, what a
// device saw at the probe points, the TLB flushes gathered). It never calls a page table.
#pragma once
#include <map>
#include <utility>
#include <vector>

#include "spec/rules.h"
#include "spec/unit/page_table.h"

namespace iovet {

struct PtMapRequest {
  u64 iova = 0, paddr = 0, pgsize = 0, pgcount = 1;
  int prot = 0;
};
struct PtUnmapRequest {
  u64 iova = 0, pgsize = 0, pgcount = 1;
};

// The table as it is right after an op.
struct PtObservation {
  std::vector<Leaf> leaves;                          // PageTable::leaves()
  std::size_t table_pages = 0;                       // PageTable::table_pages()
  std::vector<std::pair<u64, Translation>> probes;   // translate() at probe_points()
  std::vector<TlbFlush> flushes;                     // unmap: the gather's flushes
};

class PtJudge {
 public:
  // cfg: the configuration the case asked for (pgsize_bitmap, ias, oas, partial_unmap).
  // top_table_pages: table_pages() of the empty table (a concatenated stage-2 pgd counts whole).
  PtJudge(const PgtableCfg& cfg, bool can_express_write_only, std::size_t top_table_pages);

  // Addresses a device should try after an op on [lo, hi]: both sides of every boundary of
  // the live set and of the observed leaves (merged into linear runs), and a byte inside each
  // run; never more than a few per run, whatever the sizes.
  std::vector<u64> probe_points(const std::vector<Leaf>& leaves, u64 lo, u64 hi) const;

  std::vector<Violation> map(int op, const PtMapRequest& r, int ret, u64 mapped, const PtObservation& obs);
  std::vector<Violation> unmap(int op, const PtUnmapRequest& r, u64 ret, const PtObservation& obs);
  std::vector<Violation> iova_to_phys(int op, u64 iova, u64 phys) const;

  // The live set: every live byte maps linearly inside one run.
  struct Run {
    u64 iova = 0, size = 0, phys = 0;
    int prot = 0;
    u64 leaf = 0;  // size of the leaves the run was mapped with (partial unmap of a block)
  };
  const std::map<u64, Run>& live() const { return live_; }

 private:
  using Live = std::map<u64, Run>;
  // A linear stretch: [iova, iova + size) -> [phys, phys + size).
  struct Linear {
    u64 iova = 0, size = 0, phys = 0;
    friend bool operator==(const Linear&, const Linear&) = default;
  };

  static const Run* find(const Live& l, u64 a);
  static bool any_live(const Live& l, u64 lo, u64 hi);  // inclusive
  static void erase(Live& l, u64 lo, u64 hi);           // inclusive
  static std::vector<Linear> linear(const Live& l);
  static std::vector<Linear> linear(const std::vector<Leaf>& leaves);
  u64 ias_max() const;
  // io-pgtable-arm handles at most one table per map_pages()/unmap_pages() call and the IOMMU
  // core calls again for the rest: whether done bytes (less than asked) end at a table's end.
  bool table_end_prefix(u64 iova, u64 pgsize, u64 pgcount, u64 done) const;
  bool pgsize_ok(u64 pgsize) const;

  // The checks every changing op ends with; `rule` names what a wrong table state breaks.
  void judge_state(int op, const char* rule, const Live& expected, const PtObservation& obs,
                   std::vector<Violation>& out);
  void check_gather(int op, const Live& before, const PtObservation& obs, std::vector<Violation>& out) const;

  PgtableCfg cfg_;
  bool write_only_;
  std::size_t top_pages_;
  Live live_;
  bool leak_reported_ = false;  // one pt.leak per stretch of leaked empty state
};

}  // namespace iovet
