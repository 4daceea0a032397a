#pragma once

#include "independent/KneePoint.h"
#include "independent/ValueNoise.h"

#include <random>

namespace strata::testing::indep {

/// The proximal tibia: the plateau a height field over a superellipse outline (posterior slope, concave medial
/// plateau, sagittally convex lateral plateau, the two tibial spines between them, a PCL notch at the back), the
/// bone below it the outline lofted down to the shaft with the tibial tuberosity in front. Tibial cartilage: a layer
/// of varying thickness on each plateau, thinning towards its rim and absent on the spines.
class TibiaShape {
public:
    TibiaShape(std::mt19937_64& rng, double scale);

    /// Plateau bone height (s, mm) above (m, a).
    double plateauHeight(double m, double a) const;
    /// Positive inside the bone, about millimetres to its surface.
    double inside(const KneePoint& p) const;
    /// Cartilage thickness (mm) on the plateau at (m, a); sign of `compartment`: +1 medial, -1 lateral, 0 none.
    double cartilageThickness(double m, double a, int* compartment) const;
    /// Top of bone or cartilage at (m, a).
    double articularTop(double m, double a) const;

    struct Plateau {
        double m, a, rm, ra; // centre and half-axes of the articular area
    };
    const Plateau& medial() const { return medial_; }
    const Plateau& lateral() const { return lateral_; }
    double halfWidth() const { return halfML_; }
    double halfDepth() const { return halfAP_; }
    double centreA() const { return a0_; }
    double slopeDeg() const { return slope_ * 180.0 / kPi; }

private:
    double outlineInside(const KneePoint& p) const;
    double spine(double m, double a) const;

    double halfML_{}, halfAP_{}, a0_{}, slope_{}, shaftR_{};
    double medDepth_{}, latDome_{}, spineH_{};
    double tMed_{}, tLat_{};
    Plateau medial_{}, lateral_{};
    ValueNoise noise_;
};

} // namespace strata::testing::indep
