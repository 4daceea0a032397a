#include "strata/core/quant/KneeThickness.h"

#include "strata/core/Error.h"
#include "strata/core/phantom/KneeLabels.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace strata::quant {
namespace {

using namespace strata::phantom;

const std::array<std::pair<int, const char*>, 4> kPlates{{{FemoralCartilage, "femoral_cartilage"},
                                                          {MedialTibialCartilage, "medial_tibial_cartilage"},
                                                          {LateralTibialCartilage, "lateral_tibial_cartilage"},
                                                          {PatellarCartilage, "patellar_cartilage"}}};

double quantile(const std::vector<float>& sorted, double q)
{
    if (sorted.empty()) return 0.0;
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const auto i = static_cast<std::size_t>(pos);
    const double f = pos - static_cast<double>(i);
    if (i + 1 >= sorted.size()) return sorted.back();
    return sorted[i] * (1.0 - f) + sorted[i + 1] * f;
}

nlohmann::json statsJson(const ThicknessStats& s)
{
    return {{"voxels", s.voxels}, {"mean", s.mean}, {"sd", s.sd},   {"median", s.median},
            {"p5", s.p5},         {"p95", s.p95},   {"min", s.min}, {"max", s.max},
            {"area_weighted_mean", s.areaWeightedMean}};
}

Vec3 centroidOf(const Image& ids, int label, std::size_t& count)
{
    const auto px = ids.pixels<std::uint8_t>();
    const auto& sz = ids.size();
    std::array<double, 3> sum{0, 0, 0};
    count = 0;
    std::size_t n = 0;
    for (std::size_t k = 0; k < sz[2]; ++k)
        for (std::size_t j = 0; j < sz[1]; ++j)
            for (std::size_t i = 0; i < sz[0]; ++i, ++n)
                if (px[n] == label) {
                    sum[0] += static_cast<double>(i);
                    sum[1] += static_cast<double>(j);
                    sum[2] += static_cast<double>(k);
                    ++count;
                }
    if (count == 0) return {0, 0, 0};
    const double c = static_cast<double>(count);
    return ids.indexToWorld({sum[0] / c, sum[1] / c, sum[2] / c});
}

} // namespace

ThicknessStats thicknessStats(std::vector<float> values)
{
    ThicknessStats s;
    if (values.empty()) return s;
    std::sort(values.begin(), values.end());
    s.voxels = values.size();
    const double n = static_cast<double>(values.size());
    const double sum = std::accumulate(values.begin(), values.end(), 0.0);
    s.mean = sum / n;
    double ss = 0;
    for (float v : values) ss += (v - s.mean) * (v - s.mean);
    s.sd = values.size() > 1 ? std::sqrt(ss / (n - 1.0)) : 0.0;
    double inv = 0;
    for (float v : values) inv += 1.0 / v;
    s.areaWeightedMean = n / inv;
    s.median = quantile(values, 0.5);
    s.p5 = quantile(values, 0.05);
    s.p95 = quantile(values, 0.95);
    s.min = values.front();
    s.max = values.back();
    return s;
}

nlohmann::json KneeThickness::toJson() const
{
    nlohmann::json j;
    for (const auto& [name, s] : plates) j["thickness_mm"][name] = statsJson(s);
    for (const auto& [name, s] : femoralRegions) j["femoral_regions_thickness_mm"][name] = statsJson(s);
    j["femoral_region_frame"] = femoralRegionFrame.toJson();
    j["method"] = "local thickness (largest inscribed sphere, exact EDT, sub-voxel ridge estimate)";
    if (subvoxelMm > 0.0) {
        char buf[96];
        std::snprintf(buf, sizeof buf, ", on the cartilage resampled to sub-voxels of at most %.2f mm", subvoxelMm);
        j["method"] = j["method"].get<std::string>() + buf;
    }
    return j;
}

KneeThickness measureKneeThickness(const LabelMap& labels, const KneeThicknessOptions& options, std::stop_token stop,
                                   const ProgressFn& progress)
{
    KneeThickness result;
    std::vector<int> ids;
    for (const auto& [id, name] : kPlates) ids.push_back(id);
    const auto sub = [&](double f, const std::string& m) { reportProgress(progress, 0.9 * f, m); };
    result.subvoxelMm = options.localThickness.maxSubvoxelMm;
    result.map = thicknessMap(labels, ids, options.localThickness, stop, progress ? ProgressFn(sub) : ProgressFn());
    throwIfStopped(stop);
    reportProgress(progress, 0.9, "Thickness statistics");

    const Image& lab = labels.image();
    const auto px = lab.pixels<std::uint8_t>();
    const auto t = result.map.pixels<float>();
    std::map<int, std::vector<float>> perPlate;
    for (std::size_t i = 0; i < px.size(); ++i)
        if (t[i] > 0.0f) perPlate[px[i]].push_back(t[i]);
    for (const auto& [id, name] : kPlates) result.plates[name] = thicknessStats(perPlate[id]);

    // Femoral regions.
    std::size_t nF = 0, nM = 0, nL = 0;
    const Vec3 c = centroidOf(lab, FemoralCartilage, nF);
    const Vec3 cm = centroidOf(lab, MedialTibialCartilage, nM);
    const Vec3 cl = centroidOf(lab, LateralTibialCartilage, nL);
    double medialSign = options.rightKnee ? 1.0 : -1.0;
    if (nM > 0 && nL > 0 && std::abs(cm[0] - cl[0]) > 1e-6) medialSign = cm[0] > cl[0] ? 1.0 : -1.0;
    result.femoralRegionFrame = {c, medialSign, options.centralHalfAngleDeg};
    if (nF == 0) return result;
    const FemoralRegionFrame& frame = result.femoralRegionFrame;
    std::map<std::string, std::vector<float>> regions;
    const auto& sz = lab.size();
    std::size_t n = 0;
    for (std::size_t k = 0; k < sz[2]; ++k) {
        throwIfStopped(stop);
        for (std::size_t j = 0; j < sz[1]; ++j)
            for (std::size_t i = 0; i < sz[0]; ++i, ++n) {
                if (px[n] != FemoralCartilage || t[n] <= 0.0f) continue;
                const Vec3 p = lab.indexToWorld({static_cast<double>(i), static_cast<double>(j), static_cast<double>(k)});
                regions[frame.regionAt(p)].push_back(t[n]);
            }
    }
    for (const char* side : {"medial_", "lateral_"})
        for (const char* ap : {"anterior", "central", "posterior"}) {
            const std::string name = std::string(side) + ap;
            result.femoralRegions[name] = thicknessStats(regions[name]);
        }
    reportProgress(progress, 1.0, "Thickness done");
    return result;
}

} // namespace strata::quant
