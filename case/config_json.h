// The `config` object of a case (corpus-format 1.1): reading with defaults, and writing only
// what differs from them.
#pragma once
#include <nlohmann/json.hpp>

#include "case/json_reader.h"
#include "spec/config.h"

namespace iovet {

// Reads obj (the value of /config) and runs validate(); the first problem is an InputError.
Config config_from_json(JsonObject obj);
// The fields that differ from a default Config; an empty object when none do.
nlohmann::ordered_json config_to_json(const Config& c);

}  // namespace iovet
