#include "knee/KneeThicknessMaps.h"

#include "strata/phantom/KneeLabels.h"
#include "strata/quant/ThicknessMap.h"
#include "strata/results/ThicknessChangeMap.h"

#include <algorithm>
#include <cmath>

namespace strata::knee {

namespace {

using quant::ThicknessMap;

struct Plate {
    const char* file;
    const char* caption;
    ThicknessMap map;
};

/// The four plates drawn the way cartilage figures show them. LPS: x = left, y = posterior, z = superior.
std::vector<Plate> plateMaps(const Image& labels, const Image& values, ThicknessMap::Reduction r)
{
    return {{"femoral_cartilage", "Femoral cartilage, unrolled around the condyles (top: trochlea, bottom: posterior)",
             ThicknessMap::unroll(values, labels, phantom::FemoralCartilage, {1, 0, 0}, {0, 0, 1}, {0, -1, 0}, r)},
            {"medial_tibial_cartilage", "Medial tibial cartilage, seen from above (top: anterior)",
             ThicknessMap::project(values, labels, phantom::MedialTibialCartilage, {0, 0, -1}, {1, 0, 0}, r)},
            {"lateral_tibial_cartilage", "Lateral tibial cartilage, seen from above (top: anterior)",
             ThicknessMap::project(values, labels, phantom::LateralTibialCartilage, {0, 0, -1}, {1, 0, 0}, r)},
            {"patellar_cartilage", "Patellar cartilage, seen from behind (top: superior)",
             ThicknessMap::project(values, labels, phantom::PatellarCartilage, {0, -1, 0}, {1, 0, 0}, r)}};
}

std::vector<std::pair<std::string, std::string>> writeMaps(const std::vector<Plate>& plates, double scale, const char* suffix,
                                                           const char* quantity, bool diverging, const std::filesystem::path& dir)
{
    std::vector<std::pair<std::string, std::string>> written;
    for (const auto& p : plates) {
        if (p.map.covered() == 0) continue;
        const std::string file = std::string("maps/") + p.file + suffix + ".png";
        const std::string caption = p.caption;
        p.map.writePng(dir / file, caption.substr(0, caption.find(',')) + ", " + quantity, scale, diverging);
        written.emplace_back(caption, file);
    }
    return written;
}

} // namespace

std::vector<std::pair<std::string, std::string>> writeKneeThicknessMaps(const Image& labels, const Image& thickness,
                                                                        const std::filesystem::path& bundleDir)
{
    const auto plates = plateMaps(labels, thickness, ThicknessMap::Reduction::Largest);
    float largest = 0;
    for (const auto& p : plates) largest = std::max(largest, p.map.maxMm());
    const double scale = std::max(0.5, std::ceil(static_cast<double>(largest) * 2) / 2); // whole half millimetres
    return writeMaps(plates, scale, "", "thickness (mm)", false, bundleDir);
}

std::vector<std::pair<std::string, std::string>> writeKneeChangeMaps(const Image& labels, const Image& change,
                                                                     const std::filesystem::path& dir)
{
    const auto plates = plateMaps(labels, change, ThicknessMap::Reduction::Mean);
    std::vector<float> sizes; // |change| of every pixel
    for (const auto& p : plates)
        for (const float v : p.map.mm)
            if (!std::isnan(v)) sizes.push_back(std::abs(v));
    const double scale = results::ThicknessChangeMap::displayScaleMm(std::move(sizes));
    return writeMaps(plates, scale, "_change", "thickness change (mm)", true, dir);
}

} // namespace strata::knee
