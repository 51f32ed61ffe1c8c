#include <cmath>

#include "report/report.h"

namespace iovet {
namespace {

// Microseconds are plenty, and keep 0.41 from printing as 0.41000000000000003.
double seconds(double s) { return std::round(s * 1e6) / 1e6; }

}  // namespace

nlohmann::ordered_json row_to_json(const ResultRow& row) {
  nlohmann::ordered_json o = nlohmann::ordered_json::object();
  o["name"] = row.name;
  o["kind"] = row.kind;
  o["status"] = status_name(row.status);
  o["rules"] = row.rules;
  o["message"] = row.message;
  if (!row.case_path.empty()) o["case"] = row.case_path;
  o["time_s"] = seconds(row.time_s);
  if (row.runs) o["runs"] = *row.runs;
  if (!row.counters.empty()) o["counters"] = row.counters;  // an addition to version 1
  if (!row.signature.empty()) o["signature"] = row.signature;  // an addition to version 1
  if (!row.finding.empty()) o["finding"] = row.finding;        // an addition to version 1
  if (const auto& t = row.tree_check) {                          // an addition to version 1
    o["tree_check"] = {{"against", t->against}, {"inputs", t->inputs}, {"agree", t->agree}};
    if (!t->disagreement.empty()) o["tree_check"]["disagreement"] = t->disagreement;
  }
  return o;
}

ResultRow row_from_json(const nlohmann::ordered_json& j) {
  ResultRow row;
  row.name = j.at("name").get<std::string>();
  row.kind = j.at("kind").get<std::string>();
  const std::string status = j.at("status").get<std::string>();
  for (Status s : {Status::pass, Status::fail, Status::warn, Status::error, Status::skip})
    if (status_name(s) == status) row.status = s;
  row.rules = j.at("rules").get<std::vector<std::string>>();
  row.message = j.at("message").get<std::string>();
  row.case_path = j.value("case", "");
  row.time_s = j.at("time_s").get<double>();
  if (j.contains("runs")) row.runs = j.at("runs").get<u64>();
  if (j.contains("counters")) row.counters = j.at("counters").get<std::map<std::string, u64>>();
  row.signature = j.value("signature", "");
  row.finding = j.value("finding", "");
  if (j.contains("tree_check")) {
    const auto& t = j.at("tree_check");
    row.tree_check = ResultRow::TreeCheck{t.at("against").get<std::string>(), t.at("inputs").get<u64>(),
                                          t.at("agree").get<u64>(), t.value("disagreement", "")};
  }
  return row;
}

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
  for (const ResultRow& row : r.rows) results.push_back(row_to_json(row));
  j["results"] = std::move(results);
  if (r.baseline) {  // an addition to version 1
    json gone = json::array();
    for (const GoneFinding& g : r.gone) gone.push_back({{"name", g.name}, {"signature", g.signature}});
    std::size_t fresh = 0;
    for (const ResultRow& row : r.rows) fresh += row.finding == "new";
    j["baseline"] = {{"file", *r.baseline}, {"new", fresh}, {"gone", std::move(gone)}};
  }
  const Summary s = summarize(r);
  j["summary"] = {{"pass", s.pass}, {"fail", s.fail}, {"warn", s.warn}, {"error", s.error}, {"skip", s.skip}};
  return j;
}

std::string render_json(const Report& r) {
  return report_to_json(r).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace iovet
