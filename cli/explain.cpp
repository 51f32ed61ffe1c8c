// `iovet explain`: a readable trace of one case (report/explain.h), as text or HTML.
#include <iostream>

#include "case/case_json.h"
#include "cli/commands.h"
#include "report/explain.h"

namespace iovet::cli {

int explain(const std::string& path, const std::string& variant, const Output& out) {
  std::vector<std::string> warnings;
  const Case c = load_case(path, out.strict, &warnings);
  for (const std::string& w : warnings) std::cerr << "iovet: warning: " << w << "\n";
  RunOptions opt{variant, true};
  const RunResult r = run_case(c, opt);
  const Explained e{c, r, effective_variant(c, opt), judge_replay(c, r)};
  std::cout << (out.format == "html" ? render_explain_html(e) : render_explain_text(e));
  return e.verdict.status == Status::fail ? 1 : 0;
}

}  // namespace iovet::cli
