// What `iovet explain` draws beside an op's trace lines: the runners record these
// observations and draw nothing; report/explain.h renders them as text and as HTML.
#pragma once
#include <variant>
#include <vector>

#include "spec/config.h"
#include "spec/sg_judge.h"
#include "spec/unit/smmu.h"

namespace iovet {

// A map_sg: the entries it was given and the segments it returned (ret of them).
struct SgFigure {
  std::vector<SgInput> in;
  std::vector<Scatterlist> out;
  int ret = 0;
};

// The IOVA allocator after an op: every live range in bytes, those the op allocated marked.
struct IovaFigure {
  struct Span {
    Range bytes;
    bool added = false;
  };
  std::vector<Span> live;
};

// One LPAE table walk (arm_lpae_pgtable_walk): per level the table, the index used in it and
// the descriptor read there, decoded as io-pgtable-arm.c does.
struct WalkFigure {
  enum class Kind { invalid, table, leaf, reserved };
  struct Step {
    int level = 0;
    u64 table = 0;  // physical address of the table read
    u64 index = 0;
    u64 pte = 0;
    Kind kind = Kind::invalid;
    u64 leaf_size = 0;  // kind leaf: the page or block size
  };
  u64 iova = 0;
  unsigned ias = 0;  // the walk is refused beyond it
  Format fmt = Format::arm64_lpae_s1;
  u64 granule = 0;
  bool has_table = true;  // false: the page table under test has no descriptors to walk
  std::vector<Step> steps;
};

// The SMMU's IOTLB after an op that changed it; stale: the page table no longer maps the
// entry's input to its output with its permissions (what smmu.stale judges a device reaching).
struct IotlbFigure {
  struct Line {
    IotlbLine entry;
    bool stale = false;
    friend bool operator==(const Line&, const Line&) = default;
  };
  std::vector<Line> lines;
};

// SmmuTrace: one event inside the SMMU during the op (a command issued or consumed, an STE or
// CD as the SMMU would fetch it, an IOVA freed), drawn as a line.
using Figure = std::variant<SgFigure, IovaFigure, WalkFigure, IotlbFigure, SmmuTrace>;

}  // namespace iovet
