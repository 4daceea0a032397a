#pragma once

#include "independent/KneePoint.h"
#include "independent/ValueNoise.h"

#include <random>

namespace strata::testing::indep {

/// The distal femur in its own frame (before flexion and the vertical placement): each condyle a circle swept along a
/// J-shaped sagittal path around the transepicondylar axis (a "wheel" whose sagittal radius shrinks posteriorly and
/// grows anteriorly), the metaphysis and shaft a superellipse cross-section lofted between the condyles' width and
/// the shaft, its anterior face carrying the trochlear groove and the raised lateral facet; smooth union. The femoral
/// cartilage is a layer of spatially varying thickness laid outside the articular surfaces along their normal.
class FemurShape {
public:
    FemurShape(std::mt19937_64& rng, double scale);

    /// Positive inside the bone, about millimetres to its surface.
    double inside(const KneePoint& p) const;
    /// Femoral cartilage thickness (mm) at the surface point nearest p, 0 where the surface is not articular.
    double cartilageThickness(const KneePoint& p) const;

    double width() const { return width_; }
    double centreA() const { return centreA_; }
    double grooveM() const { return grooveM_; }
    double trochlearThickness() const { return tf0_; }

private:
    struct Wheel {
        double m, tube, radius; // centre m, coronal tube radius, distal sagittal radius
        double antGrow, postShrink;
    };
    double wheelInside(const Wheel& w, const KneePoint& p, double* theta, double* psi) const;
    double bodyInside(const KneePoint& p) const;
    double pathRadius(const Wheel& w, double theta) const;

    double width_{}, centreA_{}, shaftR_{}, shaftA_{};
    double grooveM_{}, grooveDepth_{}, grooveSigma_{}, latFacet_{}, medFacet_{};
    double tf0_{};
    Wheel medial_{}, lateral_{};
    double thinM_[3][2]{}; // thin spots: (theta, psi) per spot, on the condyles
    ValueNoise noise_;
};

} // namespace strata::testing::indep
