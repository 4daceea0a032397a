#pragma once

#include "strata/Image.h"
#include "strata/results/BoneRegistration.h"

#include <stop_token>
#include <string>
#include <vector>

namespace strata::results {

/// One cartilage plate of a change map, and the bone whose alignment carries it to the follow-up.
struct PlateMapping {
    int plate{0};
    std::string name; ///< "medial_tibial_cartilage"
    RigidTransform baselineToFollowup;
};

/// What the change map says about one plate.
struct PlateMapSummary {
    std::string name;
    std::size_t voxels{0};        ///< baseline cartilage voxels of the plate
    double meanChangeMm{0};       ///< mean per-voxel change over them
    double lostFraction{0};       ///< share of them with no follow-up cartilage of the plate within the search radius
};

/// Per-voxel cartilage thickness change on the baseline grid (issue 19): every baseline cartilage voxel is carried
/// into the follow-up by its bone's rigid alignment; the follow-up thickness there is read from the follow-up's
/// thickness map at the nearest follow-up voxel of the same plate (within `searchRadiusMm`; none there means the
/// cartilage is gone: thickness 0). change = follow-up - baseline (mm), 0 outside the baseline cartilage.
class ThicknessChangeMap {
public:
    /// The change map and what it says about each plate.
    struct Result {
        Image map; ///< Float32, the baseline labels' grid
        std::vector<PlateMapSummary> plates;
    };

    /// Labels are uint8, thickness maps Float32 on their labels' grids. Throws InvalidArgument on mismatched grids.
    [[nodiscard]] static Result compute(const Image& baselineLabels, const Image& baselineThickness,
                                        const Image& followupLabels, const Image& followupThickness,
                                        const std::vector<PlateMapping>& plates, double searchRadiusMm = 3.0,
                                        std::stop_token stop = {});

    /// The symmetric colour scale (mm) for change values: covers 98 % of the magnitudes (a few outliers saturate),
    /// in whole half millimetres, 0.5 ... 3. `magnitudes`: |change| of the pixels or voxels shown.
    [[nodiscard]] static double displayScaleMm(std::vector<float> magnitudes);
};

} // namespace strata::results
