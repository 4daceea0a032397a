#pragma once

#include "independent/FemurShape.h"
#include "independent/KneePoint.h"
#include "independent/MeniscusShape.h"
#include "independent/PatellaShape.h"
#include "independent/TibiaShape.h"
#include "independent/Tissue.h"
#include "independent/ValueNoise.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <random>

namespace strata::testing::indep {

/// One random adult knee (from a seed) in the anatomical knee frame: femur, tibia, patella, fibula, their cartilage,
/// both menisci, cruciate ligaments, patellar and quadriceps tendons, joint fluid, muscles, fat and skin. The femur
/// (and the patella with it) is flexed 0-20 degrees about the transepicondylar axis and lowered onto the tibia until
/// the cartilage surfaces are one joint space apart.
class KneeAnatomy {
public:
    explicit KneeAnatomy(std::uint64_t seed);

    TissueSample sampleAt(const KneePoint& p) const;

    double flexionDeg() const { return flexionDeg_; }
    /// What was drawn for this knee (for truth.json).
    nlohmann::json describe() const;

private:
    KneePoint toFemur(const KneePoint& p) const;
    void placeFemur();
    void placePatella();
    bool femurOrCartilage(const KneePoint& femurLocal) const;
    TissueSample softTissue(const KneePoint& p, const KneePoint& q) const;
    static double capsule(const KneePoint& p, const KneePoint& a, const KneePoint& b, double r0, double r1);

    std::mt19937_64 rng_;
    double scale_{};
    FemurShape femur_;
    TibiaShape tibia_;
    PatellaShape patella_;
    MeniscusShape medialMeniscus_, lateralMeniscus_;
    ValueNoise texture_, soft_;
    double flexionDeg_{}, flexion_{}, femurLift_{}, jointSpace_{}, film_{}, pouch_{};
    KneePoint patellaCentre_{}; // femur frame
    double limbM_{}, limbA_{}, limbCentreA_{}, subcut_{};
    KneePoint fibulaTop_{}, fibulaBottom_{};
    KneePoint aclTibia_{}, aclFemur_{}, pclTibia_{}, pclFemur_{};
    KneePoint patTendonTop_{}, patTendonBottom_{};
};

} // namespace strata::testing::indep
