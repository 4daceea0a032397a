#include "strata/core/quant/FemoralRegions.h"

#include <cmath>
#include <numbers>

namespace strata::quant {

std::string FemoralRegionFrame::regionAt(const Vec3& p) const
{
    const bool medial = (p[0] - centroid[0]) * medialSign > 0.0;
    // LPS: +y posterior, +z superior. Angle from inferior (-z), positive towards posterior.
    const double angle = std::atan2(p[1] - centroid[1], -(p[2] - centroid[2])) * 180.0 / std::numbers::pi;
    const char* ap = angle < -centralHalfAngleDeg ? "anterior" : angle > centralHalfAngleDeg ? "posterior" : "central";
    return std::string(medial ? "medial_" : "lateral_") + ap;
}

nlohmann::json FemoralRegionFrame::toJson() const
{
    return {{"centroid_mm", centroid}, {"medial_direction", Vec3{medialSign, 0, 0}}, {"central_half_angle_deg", centralHalfAngleDeg}};
}

std::optional<FemoralRegionFrame> FemoralRegionFrame::fromMetrics(const nlohmann::json& metrics)
{
    if (!metrics.is_object() || !metrics.contains("femoral_region_frame")) return std::nullopt;
    const auto& j = metrics["femoral_region_frame"];
    if (!j.is_object() || !j.contains("centroid_mm") || !j["centroid_mm"].is_array() || j["centroid_mm"].size() != 3)
        return std::nullopt;
    FemoralRegionFrame f;
    for (std::size_t a = 0; a < 3; ++a) f.centroid[a] = j["centroid_mm"][a].get<double>();
    if (j.contains("medial_direction") && j["medial_direction"].is_array() && !j["medial_direction"].empty())
        f.medialSign = j["medial_direction"][0].get<double>() < 0.0 ? -1.0 : 1.0;
    f.centralHalfAngleDeg = j.value("central_half_angle_deg", 45.0);
    return f;
}

} // namespace strata::quant
