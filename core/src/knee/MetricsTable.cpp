#include "knee/MetricsTable.h"

#include <cstdio>
#include <sstream>

namespace strata::knee {

namespace {

std::string number(const nlohmann::json& v)
{
    if (!v.is_number()) {
        return "";
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f", v.get<double>());
    return buf;
}

void thicknessRows(std::ostringstream& out, const std::string& kind, const nlohmann::json& group,
                   const nlohmann::json& volumes)
{
    for (const auto& [name, s] : group.items()) {
        out << kind << ',' << name << ',' << (volumes.contains(name) ? number(volumes[name]) : "") << ','
            << s.value("voxels", 0) << ',' << number(s["mean"]) << ',' << number(s["sd"]) << ',' << number(s["median"])
            << ',' << number(s["p5"]) << ',' << number(s["p95"]) << ',' << number(s["min"]) << ',' << number(s["max"])
            << '\n';
    }
}

} // namespace

std::string metricsCsv(const nlohmann::json& metrics)
{
    std::ostringstream out;
    out << "kind,structure,volume_mm3,voxels,mean_mm,sd_mm,median_mm,p5_mm,p95_mm,min_mm,max_mm\n";
    const auto volumes = metrics.value("volumes_mm3", nlohmann::json::object());
    thicknessRows(out, "cartilage_plate", metrics.value("thickness_mm", nlohmann::json::object()), volumes);
    thicknessRows(out, "femoral_region", metrics.value("femoral_regions_thickness_mm", nlohmann::json::object()),
                  nlohmann::json::object());
    for (const auto& [name, v] : volumes.items()) {
        if (!metrics.value("thickness_mm", nlohmann::json::object()).contains(name)) {
            out << "structure," << name << ',' << number(v) << ",,,,,,,,\n";
        }
    }
    return out.str();
}

} // namespace strata::knee
