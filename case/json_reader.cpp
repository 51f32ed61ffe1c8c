#include "case/json_reader.h"

#include <cmath>

#include "case/c_integer.h"
#include "case/input_error.h"

namespace iovet {

void ParseContext::fail(const std::string& pointer, const std::string& what) const {
  throw InputError(file, pointer, what);
}

void ParseContext::unknown_field(const std::string& pointer, std::string_view key) const {
  const std::string what = "unknown field '" + std::string(key) + "'";
  if (strict) fail(pointer, what);
  if (warnings)
    warnings->push_back((file.empty() ? std::string("<input>") : file) + ": " + pointer + ": " +
                        what + " ignored");
}

std::string pointer_child(const std::string& parent, std::string_view key) {
  std::string s = parent + "/";
  for (char c : key) {
    if (c == '~') s += "~0";
    else if (c == '/') s += "~1";
    else s += c;
  }
  return s;
}

std::string pointer_child(const std::string& parent, size_t index) {
  return parent + "/" + std::to_string(index);
}

std::string json_type_name(const nlohmann::ordered_json& v) {
  if (v.is_number_float()) return "a fractional number";
  return std::string("a ") + v.type_name();
}

u64 json_u64(const nlohmann::ordered_json& v, const std::string& pointer, const ParseContext& ctx) {
  // nlohmann stores every non-negative integer that fits in 64 bits as number_unsigned, exactly
  // as written; larger ones become doubles, which are only ever used here to name the problem.
  if (v.is_number_unsigned()) return v.get<u64>();
  if (v.is_number_integer()) {
    const auto i = v.get<std::int64_t>();
    if (i < 0) ctx.fail(pointer, "negative number " + std::to_string(i));
    return static_cast<u64>(i);
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (d < 0) ctx.fail(pointer, "negative number");
    if (d == std::floor(d) && d >= 18446744073709551616.0)
      ctx.fail(pointer, "value does not fit in 64 bits");
    ctx.fail(pointer, "expected an integer, got a fractional number");
  }
  if (v.is_string()) {
    std::string why;
    if (auto r = parse_c_integer(v.get_ref<const std::string&>(), &why)) return *r;
    ctx.fail(pointer, why);
  }
  ctx.fail(pointer, "expected an integer (a number or a C-syntax string), got " + json_type_name(v));
}

Range json_range(const nlohmann::ordered_json& v, const std::string& pointer, const ParseContext& ctx) {
  if (!v.is_array() || v.size() != 2)
    ctx.fail(pointer, "expected [first, last], got " +
                          (v.is_array() ? "an array of " + std::to_string(v.size()) : json_type_name(v)));
  return {json_u64(v[0], pointer_child(pointer, 0), ctx), json_u64(v[1], pointer_child(pointer, 1), ctx)};
}

JsonObject::JsonObject(const nlohmann::ordered_json& j, std::string pointer, const ParseContext& ctx)
    : j_(j), pointer_(std::move(pointer)), ctx_(ctx) {
  if (!j.is_object()) ctx.fail(pointer_, "expected an object, got " + json_type_name(j));
}

const nlohmann::ordered_json* JsonObject::get(std::string_view key) {
  auto it = j_.find(key);
  if (it == j_.end()) return nullptr;
  read_.emplace(key);
  return &*it;
}

const nlohmann::ordered_json& JsonObject::require(std::string_view key) {
  if (auto* v = get(key)) return *v;
  // The pointer names the missing field itself: the most direct thing to tell a user.
  ctx_.fail(pointer(key), "missing required field '" + std::string(key) + "'");
}

std::optional<u64> JsonObject::u64_opt(std::string_view key) {
  if (auto* v = get(key)) return json_u64(*v, pointer(key), ctx_);
  return std::nullopt;
}

unsigned JsonObject::small_or(std::string_view key, unsigned dflt) {
  const u64 v = u64_or(key, dflt);
  if (v > 0xffffffffu) fail(key, "value " + std::to_string(v) + " is out of range");
  return static_cast<unsigned>(v);
}

bool JsonObject::bool_or(std::string_view key, bool dflt) {
  auto* v = get(key);
  if (!v) return dflt;
  if (!v->is_boolean()) fail(key, "expected true or false, got " + json_type_name(*v));
  return v->get<bool>();
}

std::optional<std::string> JsonObject::string_opt(std::string_view key) {
  auto* v = get(key);
  if (!v) return std::nullopt;
  if (!v->is_string()) fail(key, "expected a string, got " + json_type_name(*v));
  return v->get<std::string>();
}

std::string JsonObject::string_req(std::string_view key) {
  require(key);
  return *string_opt(key);
}

void JsonObject::finish() const {
  for (auto it = j_.begin(); it != j_.end(); ++it)
    if (!read_.count(it.key())) ctx_.unknown_field(pointer_child(pointer_, it.key()), it.key());
}

}  // namespace iovet
