#include "strata/ui/SliceMapping.h"

#include <cmath>

namespace strata::ui {

std::array<int, 3> SliceMapping::patientToIndexAxes(const Mat3& d, std::array<int, 3>* signs)
{
    // Greedy assignment on the largest |direction| entries: always a permutation.
    std::array<int, 3> axisOf{-1, -1, -1};
    std::array<bool, 3> rowUsed{}, colUsed{};
    for (int n = 0; n < 3; ++n) {
        double best = -1.0;
        int br = 0, bc = 0;
        for (int r = 0; r < 3; ++r) {
            for (int c = 0; c < 3; ++c) {
                if (rowUsed[r] || colUsed[c]) {
                    continue;
                }
                const double v = std::abs(d[static_cast<std::size_t>(r * 3 + c)]);
                if (v > best) {
                    best = v;
                    br = r;
                    bc = c;
                }
            }
        }
        rowUsed[br] = colUsed[bc] = true;
        axisOf[br] = bc;
        if (signs) {
            (*signs)[br] = d[static_cast<std::size_t>(br * 3 + bc)] < 0 ? -1 : 1;
        }
    }
    return axisOf;
}

SliceMapping SliceMapping::compute(const Image& image, ViewPlane plane)
{
    std::array<int, 3> sign{1, 1, 1};
    const auto axisOf = patientToIndexAxes(image.direction(), &sign);

    // Patient axes (LPS: 0 = x towards Left, 1 = y towards Posterior, 2 = z towards Superior) shown along the
    // screen's horizontal (right = +) and vertical (down = +) axes, and the direction a "slice up" step goes.
    int ph = 0, pv = 1, ps = 2, wantH = 1, wantV = 1, wantS = 1;
    switch (plane) {
    case ViewPlane::Axial: ph = 0; pv = 1; ps = 2; wantH = +1; wantV = +1; wantS = +1; break;     // R|L, A over P
    case ViewPlane::Coronal: ph = 0; pv = 2; ps = 1; wantH = +1; wantV = -1; wantS = -1; break;   // R|L, S over I
    case ViewPlane::Sagittal: ph = 1; pv = 2; ps = 0; wantH = +1; wantV = -1; wantS = +1; break;  // A|P, S over I
    }
    SliceMapping m;
    m.plane_ = plane;
    m.hAxis_ = axisOf[static_cast<std::size_t>(ph)];
    m.vAxis_ = axisOf[static_cast<std::size_t>(pv)];
    m.sAxis_ = axisOf[static_cast<std::size_t>(ps)];
    m.flipH_ = sign[static_cast<std::size_t>(ph)] != wantH;
    m.flipV_ = sign[static_cast<std::size_t>(pv)] != wantV;
    m.sliceStep_ = sign[static_cast<std::size_t>(ps)] == wantS ? 1 : -1;
    const auto& size = image.size();
    const auto& sp = image.spacing();
    m.width_ = static_cast<int>(size[static_cast<std::size_t>(m.hAxis_)]);
    m.height_ = static_cast<int>(size[static_cast<std::size_t>(m.vAxis_)]);
    m.depth_ = static_cast<int>(size[static_cast<std::size_t>(m.sAxis_)]);
    m.pixelW_ = sp[static_cast<std::size_t>(m.hAxis_)];
    m.pixelH_ = sp[static_cast<std::size_t>(m.vAxis_)];
    return m;
}

Vec3 SliceMapping::indexOf(double u, double v, double slice) const
{
    Vec3 idx{};
    idx[static_cast<std::size_t>(hAxis_)] = flipH_ ? (width_ - 1) - u : u;
    idx[static_cast<std::size_t>(vAxis_)] = flipV_ ? (height_ - 1) - v : v;
    idx[static_cast<std::size_t>(sAxis_)] = slice;
    return idx;
}

std::array<double, 2> SliceMapping::pixelOf(const Vec3& index) const
{
    const double h = index[static_cast<std::size_t>(hAxis_)];
    const double v = index[static_cast<std::size_t>(vAxis_)];
    return {flipH_ ? (width_ - 1) - h : h, flipV_ ? (height_ - 1) - v : v};
}

const char* SliceMapping::edgeLetter(ViewPlane plane, int edge)
{
    static constexpr const char* letters[3][4] = {
        {"R", "L", "A", "P"}, // axial
        {"R", "L", "S", "I"}, // coronal
        {"A", "P", "S", "I"}, // sagittal
    };
    return letters[static_cast<int>(plane)][edge & 3];
}

} // namespace strata::ui
