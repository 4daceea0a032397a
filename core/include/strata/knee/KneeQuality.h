#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace strata::knee {

/// What the knee pipeline measured about one structure, for quality control.
struct StructureQualityInput {
    std::string name;           ///< label name of the model card, e.g. "femoral_cartilage"
    double volumeMm3{0.0};      ///< final segmentation (after cleanup and fluid refinement), input grid
    double meanConfidence{-1.0}; ///< mean max-softmax probability over the network's voxels of it; < 0: unknown
    std::uint64_t modelVoxels{0}; ///< voxels the network gave it (model grid)
    std::size_t components{0};  ///< connected components before the cleanup (0: not counted)
    double largestComponentFraction{1.0}; ///< share of its voxels in the largest one, before the cleanup
    /// Cartilage plates: share of its voxels within QualityRules::cartilageOnBoneMm of its bone (femoral cartilage:
    /// femur, tibial: tibia, patellar: patella); < 0: not measured (not a plate, or its bone is missing).
    double onBoneFraction{-1.0};
};

/// Thresholds of the verdict, from the model card's "quality" section (defaults when a card has none).
struct QualityRules {
    /// Plausible volume per structure name, mm^3 (min, max); a structure without a range is not checked.
    std::map<std::string, std::pair<double, double>> volumeRangesMm3;
    /// uncertain: a structure's mean confidence below this
    double minStructureConfidence{0.80};
    /// not_a_knee: mean confidence over all the network's foreground voxels below this
    double notAKneeBelowConfidence{0.60};
    /// uncertain: less than this share of a structure in its largest component before the cleanup
    double minLargestComponentFraction{0.90};
    /// not_a_knee: femur or tibia smaller than this (mm^3), whatever the card's range says
    double minBoneVolumeMm3{5000.0};
    /// not_a_knee: less than this share of the femur, tibia or patella in its largest component before the cleanup
    double minBoneLargestComponentFraction{0.50};
    /// not_a_knee: femoral + both tibial cartilage plates together smaller than this (mm^3)
    double minTibiofemoralCartilageMm3{300.0};
    /// uncertain: less than this share of a cartilage plate within cartilageOnBoneMm of its bone (cartilage lies
    /// on its bone; skin or fluid labelled as cartilage does not)
    double minCartilageOnBoneFraction{0.90};
    double cartilageOnBoneMm{7.0};
    bool declared{false}; ///< false: the card has no "quality" section and these defaults apply

    /// Reads card["quality"] (absent: defaults). Throws InvalidArgument naming the field when it is malformed.
    [[nodiscard]] static QualityRules fromCard(const nlohmann::json& card);
};

/// The verdict of assessKneeQuality on one scan, as metrics.json records it ("quality") for cohorts and reports.
struct QualityAssessment {
    std::string verdict; ///< "ok", "uncertain" or "not_a_knee"
    std::vector<std::string> reasons; ///< short sentences; empty when ok
    nlohmann::json json; ///< {"verdict", "reasons", "foreground_confidence", "rules", "structures": {name: {...}}}
};

/// The scan's verdict from per-structure measurements. Rules (documented in README and models/knee/README.md):
/// not_a_knee when the femur, tibia or patella is missing or below its plausible minimum (femur and tibia never
/// under minBoneVolumeMm3; the patella only when it is among `structures`: given labels may have none), a bone is shattered (less than minBoneLargestComponentFraction in one piece), the
/// tibiofemoral cartilage is almost absent, or the network's mean confidence over everything it called knee is
/// below notAKneeBelowConfidence; otherwise uncertain when any structure's mean
/// confidence is below minStructureConfidence, its volume is outside its range, or it is split (largest
/// component below minLargestComponentFraction before the cleanup) or a cartilage plate lies off its bone
/// (onBoneFraction below minCartilageOnBoneFraction); otherwise ok.
[[nodiscard]] QualityAssessment assessKneeQuality(const std::vector<StructureQualityInput>& structures,
                                                  double foregroundConfidence, const QualityRules& rules);

} // namespace strata::knee
