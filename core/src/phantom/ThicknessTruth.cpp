#include "phantom/ThicknessTruth.h"

#include "ParallelFor.h"
#include "strata/phantom/KneeLabels.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

namespace strata::phantom {
namespace {

/// Percentile with linear interpolation between order statistics of sorted values.
double percentile(const std::vector<double>& sorted, double fraction)
{
    if (sorted.empty()) return 0.0;
    const double position = fraction * static_cast<double>(sorted.size() - 1);
    const auto lower = static_cast<std::size_t>(std::floor(position));
    const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
    const double w = position - static_cast<double>(lower);
    return sorted[lower] * (1.0 - w) + sorted[upper] * w;
}

nlohmann::json statistics(std::vector<double> values, double areaPerSample)
{
    std::sort(values.begin(), values.end());
    const double n = static_cast<double>(values.size());
    double sum = 0;
    for (const double v : values) sum += v;
    const double mean = values.empty() ? 0.0 : sum / n;
    double squares = 0;
    for (const double v : values) squares += (v - mean) * (v - mean);
    return {{"mean", mean},
            {"sd", values.size() > 1 ? std::sqrt(squares / (n - 1.0)) : 0.0},
            {"min", values.empty() ? 0.0 : values.front()},
            {"max", values.empty() ? 0.0 : values.back()},
            {"median", percentile(values, 0.5)},
            {"p05", percentile(values, 0.05)},
            {"p95", percentile(values, 0.95)},
            {"samples", values.size()},
            {"area_mm2", n * areaPerSample}};
}

} // namespace

nlohmann::json sampleThicknessTruth(const KneeAnatomy& anatomy, const std::function<bool(V3)>& inImage,
                                    double stepMm, unsigned threads)
{
    constexpr std::array<std::pair<int, const char*>, 4> plates{{{FemoralCartilage, "femoral_cartilage"},
                                                                 {MedialTibialCartilage, "medial_tibial_cartilage"},
                                                                 {LateralTibialCartilage, "lateral_tibial_cartilage"},
                                                                 {PatellarCartilage, "patellar_cartilage"}}};
    std::map<int, std::vector<double>> values;
    for (const int boneLabel : {Femur, Tibia, Patella}) {
        const Box box = anatomy.articularBox(boneLabel);
        const auto count = [&](double lo, double hi) {
            return static_cast<std::size_t>(std::ceil((hi - lo) / stepMm)) + 1;
        };
        const std::size_t nx = count(box.lo.x, box.hi.x), ny = count(box.lo.y, box.hi.y),
                          nz = count(box.lo.z, box.hi.z);
        // One list of (plate, thickness) per x plane, merged in order: independent of the thread count.
        std::vector<std::vector<std::pair<int, double>>> perPlane(nx);
        parallelFor(nx, threads, [&](std::size_t ix) {
            auto& out = perPlane[ix];
            const double x = box.lo.x + static_cast<double>(ix) * stepMm;
            for (std::size_t iy = 0; iy < ny; ++iy) {
                const double y = box.lo.y + static_cast<double>(iy) * stepMm;
                std::size_t iz = 0;
                while (iz < nz) {
                    // z sits half a step off the box: the tibial box is built around the flat plateau's height,
                    // and a grid plane exactly on that surface put two planes (d = 0 and d = step - rounding)
                    // inside the band for some seeds, counting the plateau's area twice (e.g. seed 900002).
                    const V3 p{x, y, box.lo.z + (static_cast<double>(iz) + 0.5) * stepMm};
                    const double d = anatomy.bone(boneLabel, p).d;
                    if (d >= 0.0 && d < stepMm) {
                        const V3 n = anatomy.normal(boneLabel, p);
                        const V3 q = p - n * d;
                        const int plate = anatomy.plateAt(boneLabel, q, n);
                        if (plate != Background && inImage(q)) out.emplace_back(plate, anatomy.thickness(plate, q));
                    }
                    // The SDF changes by at most one mm per mm: skip points that cannot be in the band.
                    std::size_t skip = 1;
                    if (d >= stepMm) skip = static_cast<std::size_t>(std::floor((d - stepMm) / stepMm)) + 1;
                    else if (d < 0.0) skip = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(-d / stepMm)));
                    iz += skip;
                }
            }
        });
        for (const auto& plane : perPlane)
            for (const auto& [plate, t] : plane) values[plate].push_back(t);
    }
    nlohmann::json result = nlohmann::json::object();
    for (const auto& [label, name] : plates) result[name] = statistics(values[label], stepMm * stepMm);
    return result;
}

} // namespace strata::phantom
