// A command's rows through the campaign pool: each row crosses its worker's pipe as the
// report's own JSON for it.
#include "cli/commands.h"
#include "props/parallel.h"

namespace iovet::cli {

std::vector<ResultRow> run_row_jobs(const std::vector<RowJob>& rows, unsigned jobs,
                                    const std::function<void(std::size_t, const std::string&)>& progress) {
  std::vector<ForkedJob> work;
  for (const RowJob& r : rows) work.push_back({r.name, [&r] { return row_to_json(r.row()); }});
  const std::vector<ForkedResult> done = run_forked(work, jobs, progress);
  std::vector<ResultRow> out;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    if (done[k].value) {
      out.push_back(row_from_json(*done[k].value));
      continue;
    }
    ResultRow died;
    died.name = rows[k].name;
    died.kind = rows[k].kind;
    died.status = Status::error;
    died.message = "the worker running this " + rows[k].kind + " " + done[k].died;
    out.push_back(std::move(died));
  }
  return out;
}

}  // namespace iovet::cli
