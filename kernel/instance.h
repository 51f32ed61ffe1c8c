// One object of kernel code under test (an iova domain, an io-pgtable, a DMA domain with its
// device) and everything it allocated: destroyed with its owner. Views of the same object
// (the DMA domain's page table and IOVA domain) share it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "kernel/library.h"

namespace iovet {

class KernelInstance {
 public:
  KernelInstance(const KernelLibrary& lib, kabi_inst* inst) : lib_(&lib), inst_(inst) {}
  ~KernelInstance() { lib_->ops->destroy(inst_); }
  KernelInstance(const KernelInstance&) = delete;
  KernelInstance& operator=(const KernelInstance&) = delete;

  const kabi_ops& ops() const { return *lib_->ops; }
  kabi_inst* get() const { return inst_; }
  // Throws KernelCrash / KernelBug / KernelHang for a non-OK status.
  void check(int status) const { lib_->check(inst_, status); }
  std::vector<std::string> take_warnings();

  // A list the ABI returns through (buf, cap, *n) calls: grows the buffer until it fits.
  template <class T, class Call>
  std::vector<T> list(Call call) const {
    std::vector<T> v(64);
    for (;;) {
      std::size_t n = 0;
      check(call(v.data(), v.size(), &n));
      if (n <= v.size()) {
        v.resize(n);
        return v;
      }
      v.resize(n);
    }
  }

 private:
  const KernelLibrary* lib_;
  kabi_inst* inst_;
};

}  // namespace iovet
