#include <iostream>

#include "cli/commands.h"

namespace iovet::cli {

int emit(const Report& r, const Output& out) {
  if (out.format == "json") std::cout << render_json(r);
  else if (out.format == "ktap") std::cout << render_ktap(r);
  else std::cout << render_text(r);
  return exit_code(r, out.strict);
}

}  // namespace iovet::cli
