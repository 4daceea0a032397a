#pragma once

#include "strata/AnatomicalFrame.h"
#include "strata/Image.h"

#include <nlohmann/json.hpp>

#include <string>

namespace strata::knee {

/// Which knee a segmentation shows, read from its two tibial cartilage plates as they are labelled.
///
/// The knee network labels the plates by position in its frame: in a knee of the model's side, the plate it calls
/// medial is the medial one; in a knee of the other side (not mirrored) it is the lateral one. Two published
/// asymmetries tell them apart: the medial tibial plateau is the larger one seen from above (oval, against the
/// smaller round lateral one), and the lateral tibial cartilage is the thicker one (Eckstein et al.; both of
/// Strata's phantom families follow them). The evidence is
///   score = ln(area of "medial" / area of "lateral") + ln(mean thickness of "lateral" / of "medial"),
/// areas as seen along the superior-inferior axis, mean thickness = volume / area. Positive: the labels sit as in
/// a knee of the model's side; negative: as in a knee of the other side. Undecided when |score| < threshold, or
/// when either plate does not look like a tibial plate (area seen from above outside kPlateAreaMm2, mean thickness
/// outside kPlateThicknessMm - real plates: several cm^2, 1.5-3 mm): a network that segments a scan badly (on the
/// independent test family the first model's raw plates spread over 16-41 cm^2 at about 1 mm) would otherwise
/// decide the side from noise.
class SideEvidence {
public:
    enum class Verdict { ModelSide, OtherSide, Undecided };
    static constexpr double kDefaultThreshold = 0.15;
    /// Plausible area of one tibial plate seen from above, and its mean thickness (generous bounds).
    static constexpr double kPlateAreaMm2[2] = {150.0, 1500.0};
    static constexpr double kPlateThicknessMm[2] = {0.8, 4.0};

    /// `labels`: a label image whose index axes are `frame`'s (e.g. the network's output on its canonical grid);
    /// `medialId`, `lateralId`: the ids of the medial and lateral tibial cartilage.
    SideEvidence(const Image& labels, const AnatomicalFrame& frame, int medialId, int lateralId,
                 double threshold = kDefaultThreshold);

    [[nodiscard]] Verdict verdict() const { return verdict_; }
    [[nodiscard]] double score() const { return score_; }
    [[nodiscard]] double threshold() const { return threshold_; }
    [[nodiscard]] double medialAreaMm2() const { return area_[0]; }
    [[nodiscard]] double lateralAreaMm2() const { return area_[1]; }
    [[nodiscard]] double medialThicknessMm() const { return thickness_[0]; }
    [[nodiscard]] double lateralThicknessMm() const { return thickness_[1]; }
    /// {"score", "threshold", "verdict": "model_side"|"other_side"|"undecided", "plates_as_labelled": {...}}
    [[nodiscard]] nlohmann::json toJson() const;
    /// One clause for notes and the report, e.g. "the plate on the model's medial side has 1.32x the other's area and
    /// 0.71x its thickness, evidence +0.61", or why the plates do not tell.
    [[nodiscard]] std::string summary() const;
    /// Both plates have a plausible area and thickness (else the verdict is Undecided).
    [[nodiscard]] bool platesPlausible() const;

private:
    double area_[2]{0, 0}, thickness_[2]{0, 0};
    double score_{0}, threshold_{kDefaultThreshold};
    Verdict verdict_{Verdict::Undecided};
};

} // namespace strata::knee
