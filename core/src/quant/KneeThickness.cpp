#include "strata/quant/KneeThickness.h"

#include "strata/Error.h"
#include "strata/phantom/KneeLabels.h"

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

} // namespace

nlohmann::json KneeThickness::toJson() const
{
    nlohmann::json j;
    for (const auto& [name, s] : plates) j["thickness_mm"][name] = quant::toJson(s);
    j.update(subregions.toJson());
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

    reportProgress(progress, 0.93, "Cartilage subregions");
    result.subregions = measureCartilageSubregions(labels, result.map, options.subregions, stop);
    reportProgress(progress, 1.0, "Thickness done");
    return result;
}

} // namespace strata::quant
