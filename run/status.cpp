#include "run/run.h"

#include "spec/rules.h"

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

Status finding_status(const std::string& rule) {
  const Rule* r = find_rule(rule);
  return r && r->cls == RuleClass::hardening ? Status::warn : Status::fail;
}

}  // namespace iovet
