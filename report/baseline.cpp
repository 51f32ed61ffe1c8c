#include "report/baseline.h"

#include <fstream>
#include <set>
#include <sstream>

#include "case/input_error.h"

namespace iovet {
namespace {

using json = nlohmann::ordered_json;

bool is_finding(Status s) { return s == Status::fail || s == Status::warn; }

const json& field(const json& o, const std::string& ptr, const char* key, json::value_t type, const std::string& file,
                  const char* what) {
  if (!o.contains(key)) throw InputError(file, ptr, std::string("missing \"") + key + "\"");
  const json& v = o.at(key);
  if (v.type() != type) throw InputError(file, ptr + "/" + key, std::string("must be ") + what);
  return v;
}

}  // namespace

Baseline load_baseline(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot read the baseline report");
  std::stringstream text;
  text << in.rdbuf();
  json j;
  try {
    j = json::parse(text.str());
  } catch (const json::parse_error& e) {
    throw InputError(path, "", std::string("not JSON: ") + e.what());
  }
  if (!j.is_object()) throw InputError(path, "", "must be a JSON report of `iovet check --format json`");
  const json& results = field(j, "", "results", json::value_t::array, path, "an array");
  Baseline b{path, {}};
  for (std::size_t k = 0; k < results.size(); ++k) {
    const std::string ptr = "/results/" + std::to_string(k);
    const json& r = results[k];
    if (!r.is_object()) throw InputError(path, ptr, "must be an object");
    ResultRow row;
    row.name = field(r, ptr, "name", json::value_t::string, path, "a string").get<std::string>();
    const std::string status = field(r, ptr, "status", json::value_t::string, path, "a string").get<std::string>();
    bool known = false;
    for (Status s : {Status::pass, Status::fail, Status::warn, Status::error, Status::skip})
      if (status == status_name(s)) {
        row.status = s;
        known = true;
      }
    if (!known) throw InputError(path, ptr + "/status", "unknown status '" + status + "'");
    if (r.contains("signature"))
      row.signature = field(r, ptr, "signature", json::value_t::string, path, "a string").get<std::string>();
    if (is_finding(row.status)) b.findings.emplace(finding_key(row), row.name);

  }
  return b;
}

void apply_baseline(Report& r, const Baseline& b) {
  r.baseline = b.file;
  std::set<std::string> now;
  for (ResultRow& row : r.rows) {
    if (!is_finding(row.status)) continue;
    const std::string key = finding_key(row);
    now.insert(key);
    row.finding = b.findings.count(key) ? "known" : "new";
  }
  for (const auto& [key, name] : b.findings)
    if (!now.count(key)) r.gone.push_back({name, key});
}

}  // namespace iovet
