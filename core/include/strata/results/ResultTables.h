#pragma once

#include "strata/LabelTable.h"
#include "strata/results/ResultTable.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace strata::results {

/// The tables of a knee-style metrics.json: "plates" (thickness and volume per cartilage plate),
/// "subregions" (Wirth & Eckstein regions and subregions of every plate: volume, areas, thickness) and "volumes" (every structure). Tables with no rows are left out.
/// `labels` maps structure names to label ids for highlighting (may be empty).
[[nodiscard]] std::vector<ResultTable> metricsTables(const nlohmann::json& metrics, const LabelTable& labels);

/// Human-readable structure name: "medial_tibial_cartilage" -> "Medial tibial cartilage".
[[nodiscard]] std::string displayName(const std::string& name);

} // namespace strata::results
