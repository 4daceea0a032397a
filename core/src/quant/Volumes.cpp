#include "strata/quant/Volumes.h"

namespace strata::quant {

std::vector<LabelVolume> labelVolumes(const LabelMap& labels)
{
    std::vector<LabelVolume> out;
    const double voxelMm3 = labels.image().voxelVolume();
    for (const auto& [id, count] : labels.voxelCounts()) {
        if (id == 0) continue;
        const auto info = labels.table().find(id);
        out.push_back({id, info ? info->name : "label " + std::to_string(id), count, static_cast<double>(count) * voxelMm3});
    }
    return out;
}

nlohmann::json volumesJson(const std::vector<LabelVolume>& volumes)
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto& v : volumes) j[v.name] = v.mm3;
    return j;
}

} // namespace strata::quant
