#include "spec/unit/page_table.h"

namespace iovet {

std::string_view errno_name(int e) {
  switch (e < 0 ? -e : e) {
    case 0: return "";
    case err::einval: return "EINVAL";
    case err::erange: return "ERANGE";
    case err::eexist: return "EEXIST";
    case err::enomem: return "ENOMEM";
  }
  return "E?";
}

}  // namespace iovet
