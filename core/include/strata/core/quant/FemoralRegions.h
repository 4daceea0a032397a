#pragma once

#include "strata/core/Image.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace strata::quant {

/// How femoral cartilage is cut into regions (medial / lateral x anterior / central / posterior), in world mm
/// (LPS): medial is the side of `centroid` along x given by medialSign; the angle around the centroid in the
/// sagittal (y-z) plane, 0 = inferior, positive towards posterior, splits anterior | central | posterior at
/// -/+ centralHalfAngleDeg. Written into metrics.json ("femoral_region_frame") so viewers can find the regions.
struct FemoralRegionFrame {
    Vec3 centroid{0, 0, 0};
    double medialSign{1.0};
    double centralHalfAngleDeg{45.0};

    /// "medial_central", "lateral_posterior", ... for a point (mm).
    std::string regionAt(const Vec3& p) const;
    nlohmann::json toJson() const;
    /// From metrics.json's "femoral_region_frame" (centroid_mm, medial_direction, central_half_angle_deg: 45
    /// when absent, as in bundles written before it was recorded); nullopt when there is none.
    static std::optional<FemoralRegionFrame> fromMetrics(const nlohmann::json& metrics);
};

} // namespace strata::quant
