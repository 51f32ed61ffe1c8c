// iovet_mutation_summary LOG: the mutation suite's score from the lines the planted-fault
// tests wrote (tests/mutation_log.h): caught/total per unit, time and cases to the first
// failing case, false alarms on neutral edits. Exit 1 when a fault escaped or a neutral edit
// was reported, 2 when the log cannot be read.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

struct Unit {
  int total = 0, caught = 0, neutral = 0, false_alarms = 0;
  std::vector<double> found_s;
  std::vector<int> found_after;
  std::vector<std::string> escaped, alarms;
};

template <class T>
T median(std::vector<T> v) {
  if (v.empty()) return T{};
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string ms(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f ms", s * 1e3);
  return buf;
}

std::string cases(int n) { return std::to_string(n) + (n == 1 ? " case" : " cases"); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: iovet_mutation_summary LOG\n";
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::cerr << argv[1] << ": cannot read the mutation log (did any planted-fault test run?)\n";
    return 2;
  }
  // A fault several properties hunt (or a test run twice) writes several lines: it is caught
  // when any of them caught it, first found by the quickest.
  std::map<std::pair<std::string, std::string>, nlohmann::json> merged;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    try {
      const nlohmann::json j = nlohmann::json::parse(line);
      nlohmann::json& m = merged[{j.at("unit").get<std::string>(), j.at("name").get<std::string>()}];
      if (m.is_null()) m = j;
      else if (j.at("kind") == "neutral") m["clean"] = m.at("clean").get<bool>() && j.at("clean").get<bool>();
      else if (j.at("caught").get<bool>() && (!m.at("caught").get<bool>() || j.at("found_s").get<double>() < m.at("found_s").get<double>()))
        m = j;
    } catch (const nlohmann::json::exception& e) {
      std::cerr << argv[1] << ":" << n << ": not a mutation record: " << e.what() << "\n";
      return 2;
    }
  }
  std::map<std::string, Unit> units;
  for (const auto& [key, j] : merged) {
    Unit& u = units[key.first];
    if (j.at("kind") == "neutral") {
      ++u.neutral;
      if (!j.at("clean").get<bool>()) {
        ++u.false_alarms;
        u.alarms.push_back(key.second);
      }
      continue;
    }
    ++u.total;
    if (j.at("caught").get<bool>()) {
      ++u.caught;
      u.found_s.push_back(j.at("found_s").get<double>());
      u.found_after.push_back(j.at("found_after").get<int>());
    } else {
      u.escaped.push_back(key.second);
    }
  }
  int total = 0, caught = 0, neutral = 0, alarms = 0;
  std::printf("%-30s %8s %22s %22s %8s\n", "unit", "caught", "to first failure: med", "max", "neutral");
  for (const auto& [name, u] : units) {
    total += u.total;
    caught += u.caught;
    neutral += u.neutral;
    alarms += u.false_alarms;
    const std::string score = std::to_string(u.caught) + "/" + std::to_string(u.total);
    const std::string med = u.caught ? ms(median(u.found_s)) + " (" + cases(median(u.found_after)) + ")" : "-";
    const std::string max = u.caught ? ms(*std::max_element(u.found_s.begin(), u.found_s.end())) : "-";
    const std::string clean = u.neutral ? std::to_string(u.neutral - u.false_alarms) + "/" + std::to_string(u.neutral) + " clean" : "";
    std::printf("%-30s %8s %22s %22s %8s\n", name.c_str(), score.c_str(), med.c_str(), max.c_str(), clean.c_str());
    for (const std::string& e : u.escaped) std::printf("  escaped: %s\n", e.c_str());
    for (const std::string& a : u.alarms) std::printf("  false alarm: %s\n", a.c_str());
  }
  std::printf("mutation score: %d/%d planted faults caught; %d/%d neutral edits clean\n", caught, total,
              neutral - alarms, neutral);
  return caught == total && alarms == 0 ? 0 : 1;
}
