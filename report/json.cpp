#include <cmath>

#include "report/report.h"

namespace iovet {
namespace {

// Microseconds are plenty, and keep 0.41 from printing as 0.41000000000000003.
double seconds(double s) { return std::round(s * 1e6) / 1e6; }

}  // namespace

nlohmann::ordered_json report_to_json(const Report& r) {
  using json = nlohmann::ordered_json;
  json j = json::object();
  j["tool"] = "iovet";
  j["version"] = IOVET_VERSION;
  j["command"] = r.command;
  if (r.seed) j["seed"] = *r.seed;
  j["variant"] = r.variant;
  j["elapsed_s"] = seconds(r.elapsed_s);
  json results = json::array();
  for (const ResultRow& row : r.rows) {
    json o = json::object();
    o["name"] = row.name;
    o["kind"] = row.kind;
    o["status"] = status_name(row.status);
    o["rules"] = row.rules;
    o["message"] = row.message;
    if (!row.case_path.empty()) o["case"] = row.case_path;
    o["time_s"] = seconds(row.time_s);
    if (row.runs) o["runs"] = *row.runs;
    if (!row.counters.empty()) o["counters"] = row.counters;  // an addition to version 1
    if (const auto& t = row.tree_check) {  // an addition to version 1
      o["tree_check"] = {{"against", t->against}, {"inputs", t->inputs}, {"agree", t->agree}};
      if (!t->disagreement.empty()) o["tree_check"]["disagreement"] = t->disagreement;
    }
    results.push_back(std::move(o));
  }
  j["results"] = std::move(results);
  const Summary s = summarize(r);
  j["summary"] = {{"pass", s.pass}, {"fail", s.fail}, {"warn", s.warn}, {"error", s.error}, {"skip", s.skip}};
  return j;
}

std::string render_json(const Report& r) {
  return report_to_json(r).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace iovet
