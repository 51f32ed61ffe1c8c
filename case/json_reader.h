// Reading one JSON object of a case file field by field, so that every problem is reported
// with the file and the exact JSON pointer, and fields nobody read are flagged as unknown.
// Internal to the case parser (case_json.cpp, config_json.cpp, op_json.cpp).
#pragma once
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/types.h"

namespace iovet {

struct ParseContext {
  std::string file;
  bool strict = false;
  std::vector<std::string>* warnings = nullptr;

  [[noreturn]] void fail(const std::string& pointer, const std::string& what) const;
  // Unknown fields: an InputError under strict, otherwise a warning.
  void unknown_field(const std::string& pointer, std::string_view key) const;
};

// parent + "/" + key, with '~' and '/' escaped as RFC 6901 says.
std::string pointer_child(const std::string& parent, std::string_view key);
std::string pointer_child(const std::string& parent, size_t index);

// A JSON number or C-syntax string holding an unsigned 64-bit integer.
u64 json_u64(const nlohmann::ordered_json& v, const std::string& pointer, const ParseContext& ctx);
// [first, last] with first <= last left to config validation.
Range json_range(const nlohmann::ordered_json& v, const std::string& pointer, const ParseContext& ctx);
std::string json_type_name(const nlohmann::ordered_json& v);

class JsonObject {
 public:
  // Fails unless j is an object.
  JsonObject(const nlohmann::ordered_json& j, std::string pointer, const ParseContext& ctx);

  const std::string& pointer() const { return pointer_; }
  std::string pointer(std::string_view key) const { return pointer_child(pointer_, key); }
  const ParseContext& ctx() const { return ctx_; }
  bool has(std::string_view key) const { return j_.contains(key); }

  // The field's value (marked as read), or nullptr when absent.
  const nlohmann::ordered_json* get(std::string_view key);
  const nlohmann::ordered_json& require(std::string_view key);

  u64 u64_req(std::string_view key) { return json_u64(require(key), pointer(key), ctx_); }
  std::optional<u64> u64_opt(std::string_view key);
  u64 u64_or(std::string_view key, u64 dflt) { return u64_opt(key).value_or(dflt); }
  unsigned small_or(std::string_view key, unsigned dflt);  // must fit in 32 bits
  bool bool_or(std::string_view key, bool dflt);
  std::string string_req(std::string_view key);
  std::optional<std::string> string_opt(std::string_view key);

  [[noreturn]] void fail(std::string_view key, const std::string& what) const {
    ctx_.fail(pointer(key), what);
  }
  // Reports every field that no getter asked for; call once all fields are read.
  void finish() const;

 private:
  const nlohmann::ordered_json& j_;
  std::string pointer_;
  const ParseContext& ctx_;
  std::set<std::string, std::less<>> read_;
};

}  // namespace iovet
