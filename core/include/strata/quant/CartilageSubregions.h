#pragma once

#include "strata/Image.h"
#include "strata/LabelMap.h"
#include "strata/quant/SubregionFrame.h"
#include "strata/quant/ThicknessStats.h"

#include <nlohmann/json.hpp>

#include <map>
#include <stop_token>
#include <string>

namespace strata::quant {

/// Measures of one cartilage region or subregion, in the terms of Wirth & Eckstein (2008).
struct SubregionMeasures {
    std::string plate;       ///< "femoral_cartilage", "medial_tibial_cartilage", ...
    ThicknessStats thickness; ///< local thickness of the region's cartilage voxels
    double volumeMm3{0};     ///< cartilage volume (voxel count x voxel volume)
    double tabMm2{0};        ///< total subchondral bone area
    double cabMm2{0};        ///< cartilage-covered part of it
    double thccabMm{0};      ///< mean thickness over cAB (area-weighted over the covered bone surface)

    /// Denuded part of tAB in percent (0 for an empty tAB).
    [[nodiscard]] double dabPercent() const { return tabMm2 > 0.0 ? 100.0 * (tabMm2 - cabMm2) / tabMm2 : 0.0; }
    /// Mean thickness over tAB, denuded areas counted as 0 mm (ThCtAB).
    [[nodiscard]] double thctabMm() const { return tabMm2 > 0.0 ? thccabMm * cabMm2 / tabMm2 : 0.0; }
};

/// What measureCartilageSubregions found: the fitted Wirth & Eckstein frame and the measures of every region and
/// subregion.
struct CartilageSubregions {
    SubregionFrame frame;
    /// By region name: the plate-level regions (cMF, cLF, TrF, pMF, pLF, MT, LT, P) and their subregions.
    std::map<std::string, SubregionMeasures> regions;

    /// {"subregions": {name: {plate, parent, volume_mm3, tab_mm2, cab_mm2, dab_pct, thccab_mm, thctab_mm,
    ///   voxels, mean, sd, median, p5, p95, min, max, area_weighted_mean}}, "subregion_frame": frame}
    [[nodiscard]] nlohmann::json toJson() const;
};

/// Settings of measureCartilageSubregions.
struct SubregionOptions {
    /// Which side is medial when the tibial plates are missing (right knee: patient left, +x in LPS).
    bool rightKnee{true};
    /// Holes in a plate up to about twice this across count as denuded bone (tAB, not cAB).
    double closingRadiusMm{4.0};
};

/// Fits the Wirth & Eckstein frame (SubregionFrame.h) to a knee segmentation labelled with phantom::KneeLabel
/// ids and measures every region: cartilage voxels are assigned by their own position, bone-surface triangles
/// (tAB, cAB; see quant/SubchondralSurface.h) by theirs. `thicknessMap` is the plates' local thickness (mm) on
/// the label grid (measureKneeThickness). Frame details:
///  - medial is the side of the medial tibial cartilage (the centroids of the two plates), else from rightKnee;
///  - the notch's x: the emptiest 1 mm column of femoral cartilage behind its median y within 20 mm of the
///    midpoint of the tibial plates (the middle of the empty run), the notch's y (trochlear notch): the
///    posterior end of the first run of femoral cartilage (gaps > 3 mm end it) in a 4 mm strip around that x;
///  - a condyle's posterior end: the 99.5th percentile of its cartilage's y; its width for the thirds: the 0.5th
///    to 99.5th percentile of x of its weight-bearing cartilage.
[[nodiscard]] CartilageSubregions measureCartilageSubregions(const LabelMap& labels, const Image& thicknessMap,
                                                             const SubregionOptions& options = {},
                                                             std::stop_token stop = {});

} // namespace strata::quant
