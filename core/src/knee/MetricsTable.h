#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace strata::knee {

/// metrics.json as a CSV table, one row per measured structure or region:
/// kind,structure,volume_mm3,voxels,mean_mm,sd_mm,median_mm,p5_mm,p95_mm,min_mm,max_mm
std::string metricsCsv(const nlohmann::json& metrics);

} // namespace strata::knee
