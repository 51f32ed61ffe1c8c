#include "fuzz/fuzz_one.h"

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "case/case_json.h"
#include "case/input_error.h"
#include "fuzz/case_bytes.h"
#include "props/parallel.h"
#include "run/run.h"
#include "spec/rules.h"

namespace iovet::fuzz {
namespace {

[[noreturn]] void die(std::string_view rule, const std::string& variant, Target t, const std::string& detail) {
  std::fprintf(stderr, "iovet: %.*s on %s/%.*s\n%s\n", static_cast<int>(rule.size()), rule.data(), variant.c_str(),
               static_cast<int>(target_name(t).size()), target_name(t).data(), detail.c_str());
  std::abort();
}

}  // namespace

bool strict_from_env() {
  const char* s = std::getenv("IOVET_FUZZ_STRICT");
  return s && std::string_view(s) == "1";
}

const Violation* fuzz_finding(const RunResult& r, bool strict) {
  for (const Violation& v : r.violations) {
    const Rule* rule = find_rule(v.rule);
    if (strict || !rule || rule->cls == RuleClass::contract) return &v;
  }
  return nullptr;
}

void fuzz_init(const std::string& variant) { load_kernel_objects(variant); }

void fuzz_one(Target t, const std::string& variant, const std::uint8_t* data, std::size_t size) {
  const Case c = decode_case(t, data, size, {variant});
  const RunOptions opt{variant, false, false};
  if (refused(c, opt)) return;  // a setup the variant cannot take at all, as campaigns discard
  RunResult r;
  try {
    r = run_case(c, opt);
  } catch (const InputError& e) {
    die("decoder.invalid_case", variant, t, e.what());  // every decoded case must run: a bug of fuzz/
  }
  // The environment of the whole run.
  static const bool strict = strict_from_env();
  static const std::string only = std::getenv("IOVET_FUZZ_RULE") ? std::getenv("IOVET_FUZZ_RULE") : "";
  if (!only.empty()) {
    for (const Violation& v : r.violations)
      if (v.rule == only) die(v.rule, variant, t, "op " + std::to_string(v.op) + ": " + v.message);
    return;
  }
  if (const Violation* v = fuzz_finding(r, strict)) die(v->rule, variant, t, "op " + std::to_string(v->op) + ": " + v->message);
}

void fuzz_parse(const std::uint8_t* data, std::size_t size) {
  try {
    parse_case_text(std::string_view(reinterpret_cast<const char*>(data), size), "input", true, nullptr);
  } catch (const InputError&) {
    // The parser's answer to bad input.
  }
}

}  // namespace iovet::fuzz
