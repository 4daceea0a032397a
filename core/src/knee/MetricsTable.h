#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace strata::knee {

/// metrics.json as a CSV table, one row per measured structure, plate, region or subregion:
/// kind,structure,region,volume_mm3,voxels,mean_mm,sd_mm,median_mm,p5_mm,p95_mm,min_mm,max_mm,tab_mm2,cab_mm2,
/// dab_pct,thccab_mm,thctab_mm. kind is cartilage_plate (region empty), region (a Wirth & Eckstein plate-level
/// region: cMF, TrF, MT, P, ...; structure is its cartilage plate), subregion (ecMF, aMT, ...) or structure
/// (a volume only). The area columns are for regions and subregions only.
std::string metricsCsv(const nlohmann::json& metrics);

} // namespace strata::knee
