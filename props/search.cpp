#include "props/search.h"

#include <chrono>
#include <cstdlib>

#include <rapidcheck/detail/Configuration.h>
#include <rapidcheck/detail/TestListener.h>

#include "case/input_error.h"

namespace iovet {
namespace {

class Quiet : public rc::detail::TestListener {
 public:
  void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
  void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
  void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

// A stable 64-bit mix of the campaign seed and the search's name, so each property draws
// its own stream and adding a property does not change the others.
u64 search_seed(u64 seed, const std::string& name) {
  u64 h = seed ^ 0x9e3779b97f4a7c15ull;
  for (unsigned char ch : name) h = (h ^ ch) * 0x100000001b3ull;
  return h;
}

// RC_PARAMS="reproduce=..." replays a RapidCheck failure; read the configuration only then,
// since reading it prints to stderr.
const std::unordered_map<std::string, rc::detail::Reproduce>& reproduce_map() {
  static const std::unordered_map<std::string, rc::detail::Reproduce> none;
  return std::getenv("RC_PARAMS") ? rc::detail::configuration().reproduce : none;
}

}  // namespace

SearchOutcome search_cases(const std::string& name, const std::function<rc::Gen<Case>()>& gen,
                           const CampaignOptions& opt,
                           const std::function<std::optional<std::string>(const Case&)>& fails) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  SearchOutcome out;
  const int batch = opt.budget_s > 0 ? 50 : opt.runs;
  const u64 seed = search_seed(opt.seed, name);
  const rc::Gen<Case> g = gen();
  Quiet quiet;
  // Bad input (a tree that does not build, an unknown variant) is the user's, not a finding:
  // RapidCheck would catch it as a failure, so it is carried out and thrown again.
  std::exception_ptr input_error;
  for (int round = 0;; ++round) {
    rc::detail::TestParams params;
    params.seed = seed + static_cast<u64>(round);
    params.maxSuccess = batch;
    params.maxSize = 100;
    rc::detail::TestMetadata meta;
    meta.id = name;
    meta.description = name;
    // The metadata id is the stable name, so RC_PARAMS="reproduce=..." applies.
    const auto result = rc::detail::checkTestable(
        [&] {
          const Case c = *g;
          std::optional<std::string> why;
          try {
            why = fails(c);
          } catch (const InputError&) {
            input_error = std::current_exception();
            throw;
          }
          ++out.runs;
          if (why) {
            if (!out.failing) {
              out.first_failure_run = out.runs;
              out.first_failure_s = std::chrono::duration<double>(clock::now() - t0).count();
            }
            // Shrinking keeps only cases that still fail, so the last one seen is the minimum.
            out.failing = c;
            RC_FAIL(*why);
          }
        },
        meta, params, quiet, reproduce_map());
    if (input_error) std::rethrow_exception(input_error);
    if (result.template is<rc::detail::FailureResult>() && !out.failing) {
      // Something other than the searched failure: a bad generated case or an iovet bug.
      out.error = result.template get<rc::detail::FailureResult>().description;
      break;
    }
    if (result.template is<rc::detail::Error>()) {
      out.error = result.template get<rc::detail::Error>().description;
      break;
    }
    if (out.failing) break;
    const double spent = std::chrono::duration<double>(clock::now() - t0).count();
    if (opt.budget_s <= 0 || spent >= opt.budget_s) break;
  }
  return out;
}

}  // namespace iovet
