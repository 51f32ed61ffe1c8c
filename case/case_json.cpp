#include "case/case_json.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "case/config_json.h"
#include "case/input_error.h"
#include "case/json_reader.h"
#include "case/op_ids.h"
#include "case/op_json.h"
#include "spec/rules.h"

namespace iovet {
namespace {

using json = nlohmann::ordered_json;

bool valid_name(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
      return false;
  return true;
}

std::vector<std::string> rule_list(JsonObject& o, std::string_view key) {
  std::vector<std::string> ids;
  auto* v = o.get(key);
  if (!v) return ids;
  if (!v->is_array()) o.fail(key, "expected a list of rule ids, got " + json_type_name(*v));
  for (size_t i = 0; i < v->size(); ++i) {
    const std::string ptr = pointer_child(o.pointer(key), i);
    const json& r = (*v)[i];
    if (!r.is_string()) o.ctx().fail(ptr, "expected a rule id, got " + json_type_name(r));
    if (!find_rule(r.get_ref<const std::string&>()))
      o.ctx().fail(ptr, "unknown rule id '" + r.get<std::string>() + "'");
    ids.push_back(r.get<std::string>());
  }
  return ids;
}

}  // namespace

Case parse_case(const json& j, const std::string& file, bool strict, std::vector<std::string>* warnings) {
  const ParseContext ctx{file, strict, warnings};
  JsonObject o(j, "", ctx);
  Case c;

  if (const u64 v = o.u64_req("iovet"); v != 1)
    o.fail("iovet", "format version " + std::to_string(v) + " is not supported (this iovet reads 1)");
  c.name = o.string_req("name");
  if (!valid_name(c.name)) o.fail("name", "name '" + c.name + "' must match [a-z0-9._-]+");
  c.description = o.string_opt("description").value_or("");
  const std::string target = o.string_req("target");
  if (!parse_target(target, c.target))
    o.fail("target", "unknown target '" + target + "' (known: dma, iova, pgtable, smmu)");
  c.variant = o.string_opt("variant");
  if (c.variant && c.variant->empty()) o.fail("variant", "variant must not be empty");
  if (auto* cfg = o.get("config")) c.config = config_from_json(JsonObject(*cfg, o.pointer("config"), ctx));
  if (c.target == Target::smmu && c.config.pgtable != PgtableKind::impl)
    ctx.fail("/config/pgtable", "target smmu walks the LPAE tables in memory: it needs pgtable impl");

  const json& ops = o.require("ops");
  if (!ops.is_array()) o.fail("ops", "expected a list of ops, got " + json_type_name(ops));
  for (size_t i = 0; i < ops.size(); ++i)
    c.ops.push_back(op_from_json(JsonObject(ops[i], pointer_child("/ops", i), ctx), c.target, c.config));

  if (auto* e = o.get("expect")) {
    JsonObject eo(*e, o.pointer("expect"), ctx);
    c.expect_rules = rule_list(eo, "rules");
    c.allow_rules = rule_list(eo, "allow");
    eo.finish();
  }
  if (auto* p = o.get("provenance")) {
    if (!p->is_object()) o.fail("provenance", "expected an object, got " + json_type_name(*p));
    c.provenance = *p;
  }
  o.finish();
  check_op_ids(c, file);
  return c;
}

Case parse_case_text(std::string_view text, const std::string& file, bool strict,
                     std::vector<std::string>* warnings) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    // what() starts with "[json.exception.parse_error.101] "; the rest is the useful part.
    std::string why = e.what();
    if (auto end = why.find("] "); why.rfind("[json.exception", 0) == 0 && end != std::string::npos)
      why.erase(0, end + 2);
    throw InputError(file, "", "malformed JSON at byte " + std::to_string(e.byte) + ": " + why);
  }
  return parse_case(j, file, strict, warnings);
}

Case load_case(const std::string& path, bool strict, std::vector<std::string>* warnings) {
  if (std::filesystem::is_directory(path)) throw InputError(path, "", "is a directory, not a case file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path, "", "cannot read the file");
  return parse_case_text(text.str(), path, strict, warnings);
}

json case_to_json(const Case& c) {
  json j = json::object();
  j["iovet"] = 1;
  j["name"] = c.name;
  if (!c.description.empty()) j["description"] = c.description;
  j["target"] = target_name(c.target);
  if (c.variant) j["variant"] = *c.variant;
  if (json cfg = config_to_json(c.config); !cfg.empty()) j["config"] = std::move(cfg);
  j["ops"] = json::array();
  for (const Op& op : c.ops) j["ops"].push_back(op_to_json(op));
  if (!c.expect_rules.empty() || !c.allow_rules.empty()) {
    json e = json::object();
    if (!c.expect_rules.empty()) e["rules"] = c.expect_rules;
    if (!c.allow_rules.empty()) e["allow"] = c.allow_rules;
    j["expect"] = std::move(e);
  }
  if (!c.provenance.is_null()) j["provenance"] = c.provenance;
  return j;
}

std::string case_to_text(const Case& c) {
  // replace: a description with invalid UTF-8 must not stop a corpus from being written.
  return case_to_json(c).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace iovet
