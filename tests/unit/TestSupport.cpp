#include "TestSupport.h"

#include <cmath>

namespace strata::test {

Mat3 obliqueDirection(double radians)
{
    const double c = std::cos(radians), s = std::sin(radians), t = 1 - c;
    const double x = 1 / std::sqrt(3.0), y = x, z = x;
    return {t * x * x + c,     t * x * y - s * z, t * x * z + s * y,
            t * x * y + s * z, t * y * y + c,     t * y * z - s * x,
            t * x * z - s * y, t * y * z + s * x, t * z * z + c};
}

} // namespace strata::test
