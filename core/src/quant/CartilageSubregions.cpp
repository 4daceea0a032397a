#include "strata/quant/CartilageSubregions.h"

#include "ParallelFor.h"
#include "quant/SubchondralSurface.h"
#include "strata/Error.h"
#include "strata/Progress.h"
#include "strata/phantom/KneeLabels.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace strata::quant {
namespace {

using namespace strata::phantom;

struct CartilageVoxel {
    Vec3 p;
    int label;
    float thickness;
};

const std::map<int, std::pair<int, const char*>> kPlateBone{{FemoralCartilage, {Femur, "femoral_cartilage"}},
                                                            {MedialTibialCartilage, {Tibia, "medial_tibial_cartilage"}},
                                                            {LateralTibialCartilage, {Tibia, "lateral_tibial_cartilage"}},
                                                            {PatellarCartilage, {Patella, "patellar_cartilage"}}};

std::vector<CartilageVoxel> cartilageVoxels(const Image& labels, const Image& thickness)
{
    std::vector<CartilageVoxel> out;
    const auto px = labels.pixels<std::uint8_t>();
    const auto t = thickness.pixels<float>();
    const auto& sz = labels.size();
    std::size_t n = 0;
    for (std::size_t k = 0; k < sz[2]; ++k)
        for (std::size_t j = 0; j < sz[1]; ++j)
            for (std::size_t i = 0; i < sz[0]; ++i, ++n)
                if (kPlateBone.contains(px[n]))
                    out.push_back({labels.indexToWorld({static_cast<double>(i), static_cast<double>(j), static_cast<double>(k)}),
                                   px[n], t[n]});
    return out;
}

double percentile(std::vector<double> v, double q)
{
    if (v.empty()) return 0.0;
    const auto k = static_cast<std::size_t>(std::lround(q * static_cast<double>(v.size() - 1)));
    std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
    return v[k];
}

std::optional<Vec3> centroid(const std::vector<CartilageVoxel>& voxels, int label)
{
    Vec3 s{0, 0, 0};
    double n = 0;
    for (const auto& v : voxels)
        if (v.label == label) {
            for (std::size_t a = 0; a < 3; ++a) s[a] += v.p[a];
            n += 1;
        }
    if (n == 0) return std::nullopt;
    return Vec3{s[0] / n, s[1] / n, s[2] / n};
}

/// The notch's x: middle of the emptiest run of 1 mm columns of posterior femoral cartilage near `guess`.
double notchX(const std::vector<const CartilageVoxel*>& femoral, double guess)
{
    std::vector<double> ys;
    for (const auto* v : femoral) ys.push_back(v->p[1]);
    const double medianY = percentile(ys, 0.5);
    constexpr int half = 20;
    std::vector<int> count(2 * half + 1, 0);
    for (const auto* v : femoral) {
        if (v->p[1] <= medianY) continue;
        const long b = std::lround(v->p[0] - guess) + half;
        if (b >= 0 && b <= 2 * half) ++count[static_cast<std::size_t>(b)];
    }
    const int least = *std::min_element(count.begin(), count.end());
    // The run of least-count bins nearest to the guess.
    int best = -1, bestLo = 0, bestHi = 0;
    for (int b = 0; b <= 2 * half;) {
        if (count[static_cast<std::size_t>(b)] != least) {
            ++b;
            continue;
        }
        int e = b;
        while (e + 1 <= 2 * half && count[static_cast<std::size_t>(e + 1)] == least) ++e;
        const int distance = std::min(std::abs(b - half), std::abs(e - half));
        const int d = (b <= half && half <= e) ? 0 : distance;
        if (best < 0 || d < best) {
            best = d;
            bestLo = b;
            bestHi = e;
        }
        b = e + 1;
    }
    return guess + 0.5 * (bestLo + bestHi) - half;
}

/// The trochlear notch's y: posterior end of the first run of femoral cartilage along y in the notch's strip.
double notchY(const std::vector<const CartilageVoxel*>& femoral, double x)
{
    std::vector<double> strip, all;
    for (const auto* v : femoral) {
        all.push_back(v->p[1]);
        if (std::abs(v->p[0] - x) <= 2.0) strip.push_back(v->p[1]);
    }
    if (strip.empty()) { // no trochlear cartilage at the midline: a third of the way back
        const double lo = percentile(all, 0.0), hi = percentile(all, 1.0);
        return lo + (hi - lo) / 3.0;
    }
    std::sort(strip.begin(), strip.end());
    for (std::size_t i = 1; i < strip.size(); ++i)
        if (strip[i] - strip[i - 1] > 3.0) return strip[i - 1];
    return strip.back();
}

SubregionFrame::Condyle condyle(const std::vector<const CartilageVoxel*>& femoral, const SubregionFrame& f, bool medial)
{
    const double out = medial ? f.medialSign : -f.medialSign;
    std::vector<double> ys;
    for (const auto* v : femoral)
        if ((v->p[0] - f.notchX) * out > 0.0) ys.push_back(v->p[1]);
    SubregionFrame::Condyle c;
    const double posterior = ys.empty() ? f.notchY : percentile(ys, 0.995);
    c.weightBearingEndY = f.notchY + 0.6 * std::max(0.0, posterior - f.notchY);
    std::vector<double> e;
    for (const auto* v : femoral) {
        const double d = (v->p[0] - f.notchX) * out;
        if (d > 0.0 && v->p[1] > f.notchY && v->p[1] <= c.weightBearingEndY) e.push_back(d);
    }
    const double e0 = percentile(e, 0.005), e1 = percentile(e, 0.995);
    c.internalX = f.notchX + out * (e0 + (e1 - e0) / 3.0);
    c.externalX = f.notchX + out * (e0 + 2.0 * (e1 - e0) / 3.0);
    return c;
}

SubregionFrame::TibialPlate tibialPlate(const std::vector<detail::SurfacePatch>& tab)
{
    SubregionFrame::TibialPlate t;
    double area = 0, projected = 0, cx = 0, cy = 0;
    t.box = {1e300, 1e300, -1e300, -1e300};
    for (const auto& s : tab) {
        area += s.area;
        projected += s.area * std::abs(s.normal[2]);
        cx += s.area * s.centre[0];
        cy += s.area * s.centre[1];
        t.box = {std::min(t.box[0], s.centre[0]), std::min(t.box[1], s.centre[1]), std::max(t.box[2], s.centre[0]),
                 std::max(t.box[3], s.centre[1])};
    }
    if (area <= 0.0) return SubregionFrame::TibialPlate{};
    t.centre = {cx / area, cy / area};
    const double w = t.box[2] - t.box[0], d = t.box[3] - t.box[1];
    if (w <= 0.0 || d <= 0.0) return SubregionFrame::TibialPlate{};
    const double ratio = w / d; // a / b
    const double b = std::sqrt(0.2 * projected / (std::numbers::pi * ratio));
    t.semiAxes = {ratio * b, b};
    return t;
}

struct Accumulator {
    std::vector<float> thickness;
    std::size_t voxels{0};
    double tab{0}, cab{0}, cabWithThickness{0}, thicknessArea{0};
};

} // namespace

nlohmann::json CartilageSubregions::toJson() const
{
    nlohmann::json regionsJson = nlohmann::json::object();
    for (const auto& [name, m] : regions) {
        nlohmann::json j = quant::toJson(m.thickness);
        j["plate"] = m.plate;
        if (parentRegion(name) != name) j["parent"] = parentRegion(name);
        j["volume_mm3"] = m.volumeMm3;
        j["tab_mm2"] = m.tabMm2;
        j["cab_mm2"] = m.cabMm2;
        j["dab_pct"] = m.dabPercent();
        j["thccab_mm"] = m.thccabMm;
        j["thctab_mm"] = m.thctabMm();
        regionsJson[name] = std::move(j);
    }
    return {{"subregions", std::move(regionsJson)}, {"subregion_frame", frame.toJson()}};
}

CartilageSubregions measureCartilageSubregions(const LabelMap& labels, const Image& thicknessMap,
                                               const SubregionOptions& options, std::stop_token stop)
{
    const Image& lab = labels.image();
    if (!thicknessMap.sameGeometry(lab) || thicknessMap.pixelType() != PixelType::Float32)
        throw Error("Cartilage subregions: the thickness map must be Float32 on the label map's grid.");
    CartilageSubregions result;
    SubregionFrame& f = result.frame;
    f.closingRadiusMm = options.closingRadiusMm;
    const auto voxels = cartilageVoxels(lab, thicknessMap);
    throwIfStopped(stop);

    // Side and notch.
    const auto medialTibia = centroid(voxels, MedialTibialCartilage);
    const auto lateralTibia = centroid(voxels, LateralTibialCartilage);
    f.medialSign = options.rightKnee ? 1.0 : -1.0;
    if (medialTibia && lateralTibia && std::abs((*medialTibia)[0] - (*lateralTibia)[0]) > 1e-6)
        f.medialSign = (*medialTibia)[0] > (*lateralTibia)[0] ? 1.0 : -1.0;
    std::vector<const CartilageVoxel*> femoral;
    for (const auto& v : voxels)
        if (v.label == FemoralCartilage) femoral.push_back(&v);
    if (!femoral.empty()) {
        const auto femoralCentre = centroid(voxels, FemoralCartilage);
        const double guess = medialTibia && lateralTibia ? 0.5 * ((*medialTibia)[0] + (*lateralTibia)[0]) : (*femoralCentre)[0];
        f.notchX = notchX(femoral, guess);
        f.notchY = notchY(femoral, f.notchX);
        f.medialCondyle = condyle(femoral, f, true);
        f.lateralCondyle = condyle(femoral, f, false);
    }

    // Subchondral bone area per plate; the tibial frames come from it.
    // One plate per thread: the femur's surface is the longest of the four.
    std::map<int, std::vector<detail::SurfacePatch>> tab;
    std::vector<std::pair<int, int>> plates;
    for (const auto& [plate, bone] : kPlateBone) plates.emplace_back(plate, bone.first);
    std::vector<std::vector<detail::SurfacePatch>> areas(plates.size());
    parallelFor(plates.size(), workerCount(0), [&](std::size_t i) {
        areas[i] = detail::subchondralBoneArea(lab, thicknessMap, plates[i].first, plates[i].second, options.closingRadiusMm, stop);
    });
    throwIfStopped(stop);
    for (std::size_t i = 0; i < plates.size(); ++i) tab[plates[i].first] = std::move(areas[i]);
    f.medialTibia = tibialPlate(tab[MedialTibialCartilage]);
    f.lateralTibia = tibialPlate(tab[LateralTibialCartilage]);

    // Accumulate per region and its parent.
    std::map<std::string, Accumulator> acc;
    const auto regionsOf = [](const std::string& r) {
        std::vector<std::string> out{r};
        if (parentRegion(r) != r) out.push_back(parentRegion(r));
        return out;
    };
    for (const auto& v : voxels) {
        const std::string r = f.regionAt(v.p, v.label);
        if (r.empty()) continue;
        for (const auto& name : regionsOf(r)) {
            auto& a = acc[name];
            ++a.voxels;
            if (v.thickness > 0.0f) a.thickness.push_back(v.thickness);
        }
    }
    for (const auto& [plate, patches] : tab)
        for (const auto& s : patches) {
            const std::string r = f.regionAt(s.above, plate);
            if (r.empty()) continue;
            for (const auto& name : regionsOf(r)) {
                auto& a = acc[name];
                a.tab += s.area;
                if (!s.covered) continue;
                a.cab += s.area;
                if (s.thickness > 0.0f) {
                    a.cabWithThickness += s.area;
                    a.thicknessArea += s.area * s.thickness;
                }
            }
        }

    const double voxelVolume = lab.voxelVolume();
    for (const auto& [plate, bone] : kPlateBone) {
        if (std::none_of(voxels.begin(), voxels.end(), [p = plate](const CartilageVoxel& v) { return v.label == p; }))
            continue;
        for (const auto& name : regionNames(plate)) {
            auto& a = acc[name];
            SubregionMeasures m;
            m.plate = bone.second;
            m.volumeMm3 = static_cast<double>(a.voxels) * voxelVolume;
            m.thickness = thicknessStats(std::move(a.thickness));
            m.tabMm2 = a.tab;
            m.cabMm2 = a.cab;
            m.thccabMm = a.cabWithThickness > 0.0 ? a.thicknessArea / a.cabWithThickness : 0.0;
            result.regions[name] = std::move(m);
        }
    }
    return result;
}

} // namespace strata::quant
