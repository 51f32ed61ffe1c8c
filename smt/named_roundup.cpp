#include "smt/named_roundup.h"

#include <stdexcept>

#include "smt/bv.h"

namespace iovet::smt {
namespace {

bool mentions(const z3::expr& t, const z3::expr& symbol) {
  z3::expr_vector from(t.ctx()), to(t.ctx());
  from.push_back(symbol);
  to.push_back(symbol + u64c(t.ctx(), 1));
  return !z3::eq(z3::expr(t).substitute(from, to), t);
}

}  // namespace

void name_roundups(Encoding& e, const std::vector<NamedRoundup>& named) {
  z3::context& ctx = e.goal.ctx();
  // A name the encoding already uses would tie that symbol to the roundup: refuse it.
  for (const NamedRoundup& n : named) {
    const z3::expr p = u64var(ctx, n.name.c_str());
    bool used = mentions(e.goal, p);
    for (const auto& [what, t] : e.assumptions) used = used || mentions(t, p);
    for (const z3::expr& t : e.realise) used = used || mentions(t, p);
    for (const z3::expr& t : e.cases) used = used || mentions(t, p);
    if (used) throw std::invalid_argument("name_roundups: the encoding already has a symbol " + n.name);
  }
  std::vector<std::pair<z3::expr, z3::expr>> renamed;  // roundup_pow_of_two(x), its symbol
  // One term at a time, in order, so that a term containing an earlier one still matches.
  const auto rename = [&](z3::expr t) {
    for (const auto& [term, symbol] : renamed) {
      z3::expr_vector from(ctx), to(ctx);
      from.push_back(term);
      to.push_back(symbol);
      t = t.substitute(from, to);
    }
    return t;
  };
  std::vector<std::pair<std::string, z3::expr>> defs;
  for (const NamedRoundup& n : named) {
    const z3::expr x = rename(n.x), p = u64var(ctx, n.name.c_str());
    renamed.emplace_back(roundup_pow_of_two(x), p);
    defs.emplace_back(n.name + " = roundup_pow_of_two(" + n.of + ")", is_roundup_pow_of_two(p, x));
  }
  for (auto& [what, t] : e.assumptions) t = rename(t);
  e.goal = rename(e.goal);
  for (z3::expr& t : e.realise) t = rename(t);
  for (z3::expr& t : e.cases) t = rename(t);
  for (auto& d : defs) e.assumptions.push_back(std::move(d));
}

}  // namespace iovet::smt
