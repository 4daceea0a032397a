#pragma once

// Test helper shared by the change-between-timepoints tests (unit and ui): cartilage loss made by hand.
#include "strata/LabelMap.h"
#include "strata/phantom/KneeLabels.h"

#include <cmath>
#include <cstddef>
#include <vector>

namespace strata::test {

/// Removes the joint-side layer of a tibial plate: its voxels with neither the plate nor the tibia above them
/// (+z world is superior; for the tibial plates the joint is above). Returns the voxels removed.
inline std::size_t thinTibialPlateTop(LabelMap& labels, int plate)
{
    const Image& img = labels.image();
    auto ids = labels.ids();
    const auto& s = img.size();
    std::vector<std::size_t> top;
    for (std::size_t k = 0; k < s[2]; ++k)
        for (std::size_t j = 0; j < s[1]; ++j)
            for (std::size_t i = 0; i < s[0]; ++i) {
                const std::size_t n = img.linearIndex(i, j, k);
                if (ids[n] != plate) continue;
                const Vec3 p = img.indexToWorld({double(i), double(j), double(k)});
                const Vec3 q = img.worldToIndex({p[0], p[1], p[2] + 0.9 * img.spacing()[0]});
                const long a = std::lround(q[0]), b = std::lround(q[1]), c = std::lround(q[2]);
                if (a < 0 || b < 0 || c < 0 || a >= long(s[0]) || b >= long(s[1]) || c >= long(s[2])) continue;
                const int above = ids[img.linearIndex(std::size_t(a), std::size_t(b), std::size_t(c))];
                if (above != plate && above != phantom::Tibia) top.push_back(n);
            }
    for (const auto n : top) ids[n] = 0;
    return top.size();
}

} // namespace strata::test
