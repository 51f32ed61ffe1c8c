#include "run/run.h"

namespace iovet {

std::string_view status_name(Status s) {
  switch (s) {
    case Status::pass: return "pass";
    case Status::fail: return "fail";
    case Status::warn: return "warn";
    case Status::error: return "error";
    case Status::skip: return "skip";
  }
  return "?";
}

}  // namespace iovet
