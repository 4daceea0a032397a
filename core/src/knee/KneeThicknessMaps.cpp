#include "knee/KneeThicknessMaps.h"

#include "strata/core/phantom/KneeLabels.h"
#include "strata/core/quant/ThicknessMap.h"

#include <algorithm>
#include <cmath>

namespace strata::knee {

std::vector<std::pair<std::string, std::string>> writeKneeThicknessMaps(const Image& labels, const Image& thickness,
                                                                        const std::filesystem::path& bundleDir)
{
    using quant::ThicknessMap;
    struct Plate {
        const char* file;
        const char* caption;
        ThicknessMap map;
    };
    // LPS: x = left, y = posterior, z = superior.
    std::vector<Plate> plates{
        {"femoral_cartilage", "Femoral cartilage, unrolled around the condyles (top: trochlea, bottom: posterior)",
         ThicknessMap::unroll(thickness, labels, phantom::FemoralCartilage, {1, 0, 0}, {0, 0, 1}, {0, -1, 0})},
        {"medial_tibial_cartilage", "Medial tibial cartilage, seen from above (top: anterior)",
         ThicknessMap::project(thickness, labels, phantom::MedialTibialCartilage, {0, 0, -1}, {1, 0, 0})},
        {"lateral_tibial_cartilage", "Lateral tibial cartilage, seen from above (top: anterior)",
         ThicknessMap::project(thickness, labels, phantom::LateralTibialCartilage, {0, 0, -1}, {1, 0, 0})},
        {"patellar_cartilage", "Patellar cartilage, seen from behind (top: superior)",
         ThicknessMap::project(thickness, labels, phantom::PatellarCartilage, {0, -1, 0}, {1, 0, 0})}};
    float largest = 0;
    for (const auto& p : plates) largest = std::max(largest, p.map.maxMm());
    const double scale = std::max(0.5, std::ceil(static_cast<double>(largest) * 2) / 2); // whole half millimetres
    std::vector<std::pair<std::string, std::string>> written;
    for (const auto& p : plates) {
        if (p.map.covered() == 0) continue;
        const std::string file = std::string("maps/") + p.file + ".png";
        p.map.writePng(bundleDir / file, std::string(p.caption).substr(0, std::string(p.caption).find(',')) + ", thickness (mm)", scale);
        written.emplace_back(p.caption, file);
    }
    return written;
}

} // namespace strata::knee
