#pragma once

#include "strata/Image.h"

#include <nlohmann/json.hpp>

#include <stop_token>
#include <string>
#include <vector>

namespace strata::results {

/// A rigid transform of world (LPS, mm) points: p' = rotation * p + translation (rotation row-major).
struct RigidTransform {
    Mat3 rotation{kIdentity3};
    Vec3 translation{0, 0, 0};

    [[nodiscard]] Vec3 apply(const Vec3& p) const;
    /// Rotation angle in degrees (0 ... 180).
    [[nodiscard]] double angleDegrees() const;
    /// {"rotation": [9 numbers, row-major], "translation_mm": [3]}.
    [[nodiscard]] nlohmann::json toJson() const;
};

/// How one bone of the follow-up was aligned to the baseline.
struct BoneAlignment {
    std::string bone; ///< "femur", "tibia", "patella"
    int label{0};
    /// Maps baseline world points onto the follow-up scan's world points.
    RigidTransform baselineToFollowup;
    /// Mean distance (mm) from the baseline bone surface, carried into the follow-up, to the follow-up bone surface:
    /// near the voxel size when the two scans show the same bone, millimetres when they do not.
    double residualMm{0};
    double residualP95Mm{0};
    /// The movement at the bone's centre (mm) and the rotation (degrees) the registration found.
    double movedMm{0};
    int iterations{0};

    [[nodiscard]] nlohmann::json toJson() const;
};

/// Rigid registration of one bone between two timepoints (issue 19): ITK's v4 registration framework (versor rigid
/// transform, mean squares between the two bones' signed distance maps, three resolution levels), started from the
/// bones' centroids. Each bone is registered on its own, so a knee flexed differently at follow-up still aligns
/// femur, tibia and patella exactly. Deterministic (regular metric sampling).
class BoneRegistration {
public:
    /// `baselineLabels` and `followupLabels` are uint8 label images in world coordinates (any grids); `cartilage`
    /// the labels of the bone's cartilage plates: the registration sees the bone within 20 mm of them (the joint;
    /// shafts cut differently by each field of view would pull it off), or the whole bone when they are absent.
    /// Throws InvalidArgument when either has no voxel of `label`, Cancelled when `stop` is requested.
    [[nodiscard]] static BoneAlignment align(const Image& baselineLabels, const Image& followupLabels, int label,
                                             const std::string& bone, const std::vector<int>& cartilage = {},
                                             std::stop_token stop = {});
};

} // namespace strata::results
