#pragma once

#include "independent/KneePoint.h"

#include "strata/Image.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <string>

namespace strata::testing::indep {

enum class SliceOrientation { Sagittal, Coronal, Axial };
SliceOrientation orientationFromName(const std::string& name); // sag, cor, ax
std::string orientationName(SliceOrientation o);

/// How the knee is scanned and stored: slice orientation, in-plane spacing, slice thickness (contiguous slices),
/// field of view, side, and the stored index order (a seed-drawn permutation of the three patient axes with flips),
/// written as a proper LPS direction matrix. Maps patient (LPS) points to the anatomical knee frame: medial is
/// patient left (+L) for a right knee and patient right for a left knee, anterior is -P, superior +S.
class Acquisition {
public:
    struct Settings {
        SliceOrientation orientation{SliceOrientation::Sagittal};
        double inPlaneMm{0.4};
        double sliceMm{0.7};
        bool rightKnee{true};
        /// Field of view along patient L, P, S (mm).
        std::array<double, 3> fovMm{104, 104, 112};
        /// -1: draw the stored axis order and flips from the seed; 0: store the slice axis last, no flips.
        int storageSeed{-1};
    };

    Acquisition(const Settings& settings, std::uint64_t seed);

    /// An empty image of the stored grid (size, spacing, origin, direction).
    Image grid(PixelType type) const;
    KneePoint kneeAt(const Vec3& lps) const;
    Vec3 lpsOf(const KneePoint& k) const;
    const Settings& settings() const { return settings_; }
    nlohmann::json describe() const;

private:
    Settings settings_;
    std::array<int, 3> perm_{0, 1, 2}; // stored index axis c runs along patient axis perm_[c]
    std::array<bool, 3> flip_{false, false, false};
    Vec3 kneeOrigin_{0, 0, 0};         // LPS position of the knee frame's origin
    Vec3 fovCentre_{0, 0, 0};          // LPS centre of the field of view
};

} // namespace strata::testing::indep
