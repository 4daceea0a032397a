#pragma once

#include "independent/KneePoint.h"

#include <random>

namespace strata::testing::indep {

/// One meniscus: a C-shaped wedge ring on the rim of a tibial plateau, open towards the intercondylar area (the
/// medial one a wide C with a broad posterior horn, the lateral one nearly closed and even), triangular in cross
/// section: thin free inner edge, 5-7 mm high at the periphery. It sits on the plateau's articular top; where it
/// would meet the femur or its cartilage the femur wins, so its upper face follows the condyle.
class MeniscusShape {
public:
    MeniscusShape(std::mt19937_64& rng, bool medial, double centreM, double centreA, double radiusM, double radiusA,
                  double scale);
    /// Meniscus height above the plateau's articular top at (m, a) (0 where there is none).
    double height(double m, double a) const;

private:
    bool medial_;
    double cm_, ca_, rm_, ra_;
    double gapDeg_, wAnt_, wPost_, h_, rOut_;
};

} // namespace strata::testing::indep
