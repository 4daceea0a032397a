#include "strata/knee/SideEvidence.h"

#include "strata/Error.h"

#include <cmath>
#include <cstdio>
#include <vector>

namespace strata::knee {

namespace {

const char* verdictName(SideEvidence::Verdict v)
{
    switch (v) {
    case SideEvidence::Verdict::ModelSide: return "model_side";
    case SideEvidence::Verdict::OtherSide: return "other_side";
    default: return "undecided";
    }
}

} // namespace

SideEvidence::SideEvidence(const Image& labels, const AnatomicalFrame& frame, int medialId, int lateralId,
                           double threshold)
    : threshold_(threshold)
{
    if (labels.pixelType() != PixelType::UInt8 || labels.components() != 1) {
        throw InvalidArgument("Side evidence needs an 8-bit label image.");
    }
    int si = -1;
    for (int a = 0; a < 3; ++a) {
        const char c = frame.axes()[static_cast<std::size_t>(a)];
        if (c == 'S' || c == 'I') si = a;
    }
    const auto& size = labels.size();
    const auto& sp = labels.spacing();
    // Seen from above: the two axes across the superior-inferior one.
    const int u = si == 0 ? 1 : 0, v = si == 2 ? 1 : 2;
    const std::size_t nu = size[static_cast<std::size_t>(u)], nv = size[static_cast<std::size_t>(v)];
    std::vector<std::uint8_t> seen(nu * nv, 0); // bit 0: medial id, bit 1: lateral id
    std::size_t voxels[2]{0, 0};
    const auto ids = labels.pixels<std::uint8_t>();
    std::size_t n = 0;
    for (std::size_t k = 0; k < size[2]; ++k) {
        for (std::size_t j = 0; j < size[1]; ++j) {
            for (std::size_t i = 0; i < size[0]; ++i, ++n) {
                const int id = ids[n];
                const int plate = id == medialId ? 0 : id == lateralId ? 1 : -1;
                if (plate < 0) continue;
                ++voxels[plate];
                const std::size_t q[3]{i, j, k};
                seen[q[u] + nu * q[v]] |= static_cast<std::uint8_t>(1 << plate);
            }
        }
    }
    const double pixelArea = sp[static_cast<std::size_t>(u)] * sp[static_cast<std::size_t>(v)];
    const double voxelVolume = sp[0] * sp[1] * sp[2];
    std::size_t columns[2]{0, 0};
    for (const std::uint8_t s : seen) {
        columns[0] += s & 1;
        columns[1] += (s >> 1) & 1;
    }
    for (int p = 0; p < 2; ++p) {
        area_[p] = static_cast<double>(columns[p]) * pixelArea;
        thickness_[p] = area_[p] > 0 ? static_cast<double>(voxels[p]) * voxelVolume / area_[p] : 0.0;
    }
    if (area_[0] <= 0 || area_[1] <= 0) return; // undecided
    score_ = std::log(area_[0] / area_[1]) + std::log(thickness_[1] / thickness_[0]);
    if (!platesPlausible()) return; // undecided
    if (score_ >= threshold_) {
        verdict_ = Verdict::ModelSide;
    } else if (score_ <= -threshold_) {
        verdict_ = Verdict::OtherSide;
    }
}

nlohmann::json SideEvidence::toJson() const
{
    return {{"score", score_},
            {"threshold", threshold_},
            {"verdict", verdictName(verdict_)},
            {"plates_plausible", platesPlausible()},
            {"plates_as_labelled",
             {{"medial", {{"area_mm2", area_[0]}, {"mean_thickness_mm", thickness_[0]}}},
              {"lateral", {{"area_mm2", area_[1]}, {"mean_thickness_mm", thickness_[1]}}}}}};
}

bool SideEvidence::platesPlausible() const
{
    for (int p = 0; p < 2; ++p) {
        if (area_[p] < kPlateAreaMm2[0] || area_[p] > kPlateAreaMm2[1] || thickness_[p] < kPlateThicknessMm[0] ||
            thickness_[p] > kPlateThicknessMm[1]) {
            return false;
        }
    }
    return true;
}

std::string SideEvidence::summary() const
{
    char buf[320];
    if (!platesPlausible()) {
        std::snprintf(buf, sizeof buf,
                      "the segmented plates do not look like tibial plates (%.0f and %.0f mm2 seen from above, %.1f and "
                      "%.1f mm thick; plausible: %.0f-%.0f mm2, %.1f-%.1f mm)",
                      area_[0], area_[1], thickness_[0], thickness_[1], kPlateAreaMm2[0], kPlateAreaMm2[1],
                      kPlateThicknessMm[0], kPlateThicknessMm[1]);
        return buf;
    }
    std::snprintf(buf, sizeof buf,
                  "the plate on the model's medial side has %.2fx the other's area and %.2fx its thickness, "
                  "evidence %+.2f",
                  area_[0] / area_[1], thickness_[0] / thickness_[1], score_);
    return buf;
}

} // namespace strata::knee
