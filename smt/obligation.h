// A proof obligation: a claim about one variant's kernel arithmetic, its encoding as Z3 terms
// (assumptions and goal), and how a counterexample becomes a replayable case.
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <z3++.h>

#include "case/case.h"

namespace iovet::smt {

// What list_obligations() tells: everything but the encoding.
struct ObligationInfo {
  std::string id;         // <variant>.<family>.<claim>
  std::string variant;    // seed-v5, v4.4, mainline, common (helpers every variant shares), or impl
                          // (impl/'s io-pgtable and SMMUv3 driver)
  std::string statement;  // the claim in plain words
  std::string covers;     // the kernel function(s)
  std::string widths;     // the C types (bit widths) the encoding uses
  std::string rule;       // the spec rule a counterexample violates ("" when none applies)
  std::vector<std::string> assumptions;
  // Assumes input the DMA API forbids (dma-debug reports it): a counterexample documents
  // behaviour, it is reported as a warning, not as a contract violation.
  bool out_of_contract = false;
};

// Counterexample model values by symbol name.
using ModelValues = std::map<std::string, u64>;

// How an encoding's queries are solved, where it was measured to matter (smt/prove.cpp).
enum class Tactic {
  standard,      // Z3's default solver for one query, its QF_BV solver for a split one's cases
  ctx_simplify,  // simplify, propagate-values, ctx-simplify, solve-eqs, elim-uncnstr, simplify,
                 // max-bv-sharing, bit-blast, SAT
  blast,         // the same without ctx-simplify
};

struct Encoding {
  std::vector<std::pair<std::string, z3::expr>> assumptions;  // described hypotheses
  z3::expr goal;
  std::vector<std::pair<std::string, z3::expr>> model_vars;   // reported in counterexamples
  // Extra constraints under which a counterexample can be replayed as a case (the case
  // format's ranges, an allocation the top-down allocator really makes).
  std::vector<z3::expr> realise;
  // Builds the case from a model that satisfies `realise`; empty for obligations without one.
  std::function<Case(const ModelValues&)> witness;
  // An exhaustive case split (e.g. seg_boundary_mask = 2^k - 1, one case per k). Empty: one
  // query. Otherwise `assumptions ∧ case ∧ ¬goal` is decided per case, each a small query
  // with the split variable fixed, and the engine also proves that the cases cover every
  // model of the assumptions, so the split cannot drop one.
  std::vector<z3::expr> cases = {};
  Tactic tactic = Tactic::standard;
};

struct Obligation {
  ObligationInfo info;  // assumptions are filled in from the encoding
  std::function<Encoding(z3::context&)> encode;
};

// The families, one file each.
std::vector<Obligation> granule_arith_obligations();
std::vector<Obligation> roundup_bounds_obligations();
std::vector<Obligation> size_aligned_alloc_obligations();
std::vector<Obligation> map_sg_layout_obligations();
std::vector<Obligation> finalise_merge_obligations();
std::vector<Obligation> map_page_offset_obligations();
std::vector<Obligation> lpae_index_obligations();
std::vector<Obligation> smmu_queue_obligations();
std::vector<Obligation> smmu_tlbi_obligations();

// All of them, in report order.
const std::vector<Obligation>& catalog();

}  // namespace iovet::smt
