// Patches to a kernel tree, as a developer sends them: `git format-patch` files, a mailbox
// with a series, or a plain unified diff; and the scratch tree they are applied to, so the
// user's tree is never modified.
#pragma once
#include <string>
#include <vector>

#include "kernel/tree.h"

namespace iovet {

struct Patch {
  std::string file;                // where it was read from
  std::string name;                // the mail's subject without "[PATCH n/m]", else the file name
  std::string diff;                // from the first "diff --git" or "--- " line on
  std::vector<std::string> paths;  // tree-relative paths it touches, old and new names
};

// The patches of a file in the order they apply: one per mail of an mbox ("From <sha> ..."
// lines split it, mails without a diff such as a cover letter are skipped), else the whole
// file as one. Mail headers and the commit message are ignored, as git am does. Throws
// InputError naming the file when it cannot be read or holds no unified diff.
std::vector<Patch> read_patches(const std::string& file);

// Makes dir a copy of base's drivers/iommu and top Makefile, with everything else linked to
// base, and applies the patches in order with `patch -p1 --batch --forward`. A path a patch
// touches outside the copy is copied first, so nothing writes through a link into base.
// Throws InputError naming the patch, with patch(1)'s output, when one does not apply.
void make_scratch_tree(const KernelTree& base, const std::string& dir, const std::vector<Patch>& patches);

// make_scratch_tree under cache_dir()/vet/<hash of base and patches>: the same patches give
// the same directory, so the build of the patched tree is a cache hit the second time.
KernelTree patched_tree(const KernelTree& base, const std::vector<Patch>& patches);

}  // namespace iovet
