#include "kernel/instance.h"

namespace iovet {

std::vector<std::string> KernelInstance::take_warnings() {
  std::vector<std::string> out;
  char buf[512];
  while (lib_->ops->take_warning(inst_, buf, sizeof buf)) out.emplace_back(buf);
  return out;
}

}  // namespace iovet
