#include "independent/Acquisition.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace strata::testing::indep {

SliceOrientation orientationFromName(const std::string& name)
{
    if (name == "sag") return SliceOrientation::Sagittal;
    if (name == "cor") return SliceOrientation::Coronal;
    if (name == "ax") return SliceOrientation::Axial;
    throw std::invalid_argument("unknown orientation '" + name + "' (sag, cor, ax)");
}

std::string orientationName(SliceOrientation o)
{
    switch (o) {
    case SliceOrientation::Sagittal: return "sag";
    case SliceOrientation::Coronal: return "cor";
    case SliceOrientation::Axial: return "ax";
    }
    return "?";
}

Acquisition::Acquisition(const Settings& settings, std::uint64_t seed) : settings_(settings)
{
    if (settings.inPlaneMm <= 0 || settings.sliceMm <= 0) throw std::invalid_argument("spacing must be positive");
    std::mt19937_64 rng(seed ^ 0xacc0ull);
    std::uniform_real_distribution<double> shift(-12.0, 12.0);
    kneeOrigin_ = {shift(rng), shift(rng) - 30.0, shift(rng) + 400.0}; // somewhere below a patient's hip
    const int sliceAxis = static_cast<int>(settings.orientation); // sag: L, cor: P, ax: S
    // The field of view a little above the joint line (the patella and the tuberosity both in it).
    fovCentre_ = lpsOf({0.0, 2.0, 12.0});
    if (settings.storageSeed == 0) {
        std::vector<int> p{0, 1, 2};
        std::erase(p, sliceAxis);
        perm_ = {p[0], p[1], sliceAxis};
    } else {
        std::mt19937_64 srng(settings.storageSeed > 0 ? static_cast<std::uint64_t>(settings.storageSeed) : seed ^ 0x5707ull);
        std::shuffle(perm_.begin(), perm_.end(), srng);
        for (auto& f : flip_) f = (srng() & 1u) != 0;
    }
}

KneePoint Acquisition::kneeAt(const Vec3& lps) const
{
    const double x = lps[0] - kneeOrigin_[0];
    return {settings_.rightKnee ? x : -x, -(lps[1] - kneeOrigin_[1]), lps[2] - kneeOrigin_[2]};
}

Vec3 Acquisition::lpsOf(const KneePoint& k) const
{
    return {kneeOrigin_[0] + (settings_.rightKnee ? k.m : -k.m), kneeOrigin_[1] - k.a, kneeOrigin_[2] + k.s};
}

Image Acquisition::grid(PixelType type) const
{
    const int sliceAxis = static_cast<int>(settings_.orientation);
    Vec3 physSpacing{settings_.inPlaneMm, settings_.inPlaneMm, settings_.inPlaneMm};
    physSpacing[static_cast<std::size_t>(sliceAxis)] = settings_.sliceMm;
    Size3 size{};
    Vec3 spacing{};
    Mat3 dir{};
    for (int c = 0; c < 3; ++c) {
        const auto ax = static_cast<std::size_t>(perm_[static_cast<std::size_t>(c)]);
        spacing[static_cast<std::size_t>(c)] = physSpacing[ax];
        size[static_cast<std::size_t>(c)] =
            static_cast<std::size_t>(std::max(1.0, std::round(settings_.fovMm[ax] / physSpacing[ax])));
        dir[ax * 3 + static_cast<std::size_t>(c)] = flip_[static_cast<std::size_t>(c)] ? -1.0 : 1.0;
    }
    Image img(size, type);
    img.setSpacing(spacing);
    img.setDirection(dir);
    Vec3 origin = fovCentre_;
    for (int c = 0; c < 3; ++c) {
        const auto cc = static_cast<std::size_t>(c);
        const double half = spacing[cc] * (static_cast<double>(size[cc]) - 1.0) / 2.0;
        for (std::size_t r = 0; r < 3; ++r) origin[r] -= dir[r * 3 + cc] * half;
    }
    img.setOrigin(origin);
    return img;
}

nlohmann::json Acquisition::describe() const
{
    static const char* axisNames[3] = {"L", "P", "S"};
    std::string stored;
    for (int c = 0; c < 3; ++c) {
        const char* n = axisNames[perm_[static_cast<std::size_t>(c)]];
        static const char* opposite[3] = {"R", "A", "I"};
        stored += flip_[static_cast<std::size_t>(c)] ? opposite[perm_[static_cast<std::size_t>(c)]] : n;
    }
    return {{"orientation", orientationName(settings_.orientation)},
            {"in_plane_mm", settings_.inPlaneMm},
            {"slice_mm", settings_.sliceMm},
            {"side", settings_.rightKnee ? "right" : "left"},
            {"fov_lps_mm", settings_.fovMm},
            {"stored_axes", stored}};
}

} // namespace strata::testing::indep
