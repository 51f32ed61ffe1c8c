// The rule catalogue: stable ids (shared/corpus-format.md section 3).
#pragma once
#include <span>
#include <string>
#include <string_view>

namespace iovet {

enum class RuleClass { contract, hardening };

struct Rule {
  std::string_view id;
  RuleClass cls;
  std::string_view target;  // dma, iova, pgtable, smmu
  std::string_view text;
};

std::span<const Rule> all_rules();
const Rule* find_rule(std::string_view id);  // nullptr when unknown
std::string_view class_name(RuleClass c);

// A judged observation that breaks a rule: the rule, a one-line explanation, the op index
// (-1 for a check made at the end of the case).
// `flavor` tells apart distinct faults under one rule (a lone entry straddling a boundary
// versus entries merged across one), so each can be hunted down on its own.
struct Violation {
  std::string rule;
  std::string message;
  int op = -1;
  std::string flavor;
};

}  // namespace iovet
