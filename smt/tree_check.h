// Each encoding against a kernel tree's own code: the encoding's terms, evaluated at concrete
// inputs, and the function of the compiled tree (kernel/) that computes the same quantity, on N
// seeded random inputs. A proof is believed for a tree only once its encoding agreed with the
// tree's function on every input (tests/smt/terms_test.cpp does the same against iovet's C++).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "kernel/tree.h"
#include "spec/types.h"

namespace iovet::smt {

struct TreeCheckOptions {
  u64 seed = 1;
  unsigned inputs = 1000;
};

// How one obligation's encoding fared against the tree.
struct TreeAgreement {
  std::string against;  // "drivers/iommu/dma-iommu.c:__finalise_sg"; empty: not checked
  // Not checked: why. Checked: where the tree differs from the encoding's model ("" nowhere;
  // docs/proofs.md says what each family's inputs cover).
  std::string note;
  unsigned inputs = 0, agree = 0;
  std::string disagreement;  // the first input where they differ, with both values
  // Inputs where the tree took another path than the encoding's model into a case the
  // encoding covers too (a version difference), and the first of them.
  unsigned version_differences = 0;
  std::string version_difference;
  bool checked() const { return !against.empty(); }
  bool agrees() const { return checked() && agree == inputs; }
};

// Whether a kernel tree variant's `iovet prove` covers an obligation of this variant: the
// common ones, mainline's (the model of dma-iommu.c since 2019, which 6.1 runs) and impl's
// (io-pgtable-arm.c and arm-smmu-v3.c as impl/ models them).
bool tree_covers(const std::string& obligation_variant);

// The obligations' agreements, by id; each family of obligations sharing an encoding runs its
// inputs once. Throws InputError when the tree cannot be built.
std::map<std::string, TreeAgreement> check_against_tree(const KernelTree& tree, const std::vector<std::string>& ids,
                                                         const TreeCheckOptions& opt);

// Every obligation id a tree is checked on or said not to be, for tests.
std::vector<std::string> tree_check_ids();

}  // namespace iovet::smt
