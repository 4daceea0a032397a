#pragma once

#include "independent/KneePoint.h"
#include "independent/ValueNoise.h"

#include <random>

namespace strata::testing::indep {

/// The patella: a superquadric (exponent ~2.4, boxy-rounded) in its own frame (u medial, v superior, w anterior),
/// deeper behind than in front, with the median ridge on its articular (posterior) face between a longer lateral and
/// a shorter medial facet, and the inferior pole narrower. Its cartilage fills the space between the bone and the same
/// superquadric pushed back by a thickness that varies over the face (thickest over the ridge, ~3-4 mm), on the
/// upper three quarters of the posterior face.
class PatellaShape {
public:
    PatellaShape(std::mt19937_64& rng, double scale);

    /// 1 on the bone's surface, < 1 inside; `extraBack` pushes the posterior face back by that many mm.
    double form(double u, double v, double w, double extraBack) const;
    double inside(double u, double v, double w) const;
    bool isCartilage(double u, double v, double w) const;
    /// Cartilage thickness over (u, v) of the posterior face, 0 off the articular area.
    double cartilageThickness(double u, double v) const;
    /// Posterior-most w of the cartilage surface at (u, v) (negative), or 0 when the patella does not reach there.
    double posteriorSurface(double u, double v) const;

    double halfWidth() const { return A_; }
    double halfHeight() const { return Bup_; }
    double ridgeU() const { return ridgeU_; }

private:
    double backDepth(double u) const;

    double A_{}, Bup_{}, Bdown_{}, Cant_{}, Cpost_{}, ridge_{}, ridgeU_{}, n_{}, t0_{};
    ValueNoise noise_;
};

} // namespace strata::testing::indep
