#pragma once

#include "independent/Acquisition.h"
#include "independent/TissueModel.h"

#include "strata/Image.h"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace strata::testing::indep {

/// One case of the independent test family.
struct IndependentKneeCase {
    Image image;  ///< uint16 MR magnitude image on the acquisition's stored grid
    Image labels; ///< uint8, Strata's label ids 0-9, on the same grid
    nlohmann::json truth; ///< settings, anatomy drawn, per-label voxel counts and volumes (mm^3)
};

/// Renders a KneeAnatomy through a TissueModel on an Acquisition grid: every voxel is sampled at its centre; a voxel
/// whose six neighbours differ from it in tissue or label (a boundary) is sampled again on a sub-grid of points
/// (<= 0.3 mm in plane, <= 0.45 mm across the slice: partial volume and the slice profile), its signal the mean of
/// the points' signals and its label the majority of the points' labels (a tie keeps the centre's); then a smooth
/// multiplicative bias field and Rician noise (complex Gaussian, magnitude) at the drawn cartilage SNR.
class IndependentKneeGenerator {
public:
    struct Settings {
        std::uint64_t seed{1};
        Contrast contrast{Contrast::PdFatSat};
        Acquisition::Settings acquisition{};
        double snr{-1};   ///< cartilage SNR; < 0 draws 12-30
        double bias{-1};  ///< bias field amplitude (log); < 0 draws 0.1-0.35
        int threads{0};   ///< 0: all cores
        /// Fewer sub-samples (faster, less partial volume): 1 = one point per voxel.
        bool supersample{true};
    };

    static IndependentKneeCase generate(const Settings& settings);
};

} // namespace strata::testing::indep
