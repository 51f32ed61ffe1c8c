// Case files (shared/corpus-format.md section 1): parsing into a Case and writing the
// canonical form. Every problem with the input is an InputError naming the file and the JSON
// pointer; unknown fields are errors under strict, warnings otherwise.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "case/case.h"

namespace iovet {

// file only names the input in messages. warnings may be null.
Case parse_case(const nlohmann::ordered_json& j, const std::string& file, bool strict,
                std::vector<std::string>* warnings);
// The same from JSON text; malformed or truncated JSON is an InputError with the byte offset.
Case parse_case_text(std::string_view text, const std::string& file, bool strict,
                     std::vector<std::string>* warnings);
Case load_case(const std::string& path, bool strict, std::vector<std::string>* warnings);

// Canonical form: fixed key order, config only where it differs from the defaults,
// addresses/masks/pfns as hex strings, sizes and counts as numbers. parse_case(case_to_json(c))
// gives c back.
nlohmann::ordered_json case_to_json(const Case& c);
// case_to_json with 2-space indent and a trailing newline; identical cases give identical bytes.
std::string case_to_text(const Case& c);

}  // namespace iovet
