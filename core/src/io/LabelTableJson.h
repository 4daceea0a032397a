#pragma once

#include "strata/LabelTable.h"

#include <nlohmann/json.hpp>

namespace strata::io {

/// [{"id": 1, "name": "femur", "rgba": [r, g, b, a]}, ...]
nlohmann::json labelTableToJson(const LabelTable& table);
LabelTable labelTableFromJson(const nlohmann::json& json);

} // namespace strata::io
