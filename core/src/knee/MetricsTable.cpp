#include "knee/MetricsTable.h"

#include <cstdio>
#include <sstream>

namespace strata::knee {

namespace {

using nlohmann::json;

std::string number(const json& v)
{
    if (!v.is_number()) {
        return "";
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f", v.get<double>());
    return buf;
}

std::string field(const json& obj, const char* key)
{
    return obj.contains(key) ? number(obj[key]) : "";
}

void row(std::ostringstream& out, const std::string& kind, const std::string& structure, const std::string& region,
         const json& volume, const json& s)
{
    out << kind << ',' << structure << ',' << region << ',' << number(volume) << ',' << s.value("voxels", 0);
    for (const char* k : {"mean", "sd", "median", "p5", "p95", "min", "max", "tab_mm2", "cab_mm2", "dab_pct", "thccab_mm",
                          "thctab_mm"}) {
        out << ',' << field(s, k);
    }
    out << '\n';
}

} // namespace

std::string metricsCsv(const json& metrics)
{
    std::ostringstream out;
    out << "kind,structure,region,volume_mm3,voxels,mean_mm,sd_mm,median_mm,p5_mm,p95_mm,min_mm,max_mm,tab_mm2,cab_mm2,"
           "dab_pct,thccab_mm,thctab_mm\n";
    const auto volumes = metrics.value("volumes_mm3", json::object());
    const auto plates = metrics.value("thickness_mm", json::object());
    for (const auto& [name, s] : plates.items()) {
        row(out, "cartilage_plate", name, "", volumes.contains(name) ? volumes[name] : json(), s);
    }
    const auto subregions = metrics.value("subregions", json::object());
    for (const auto& [name, s] : subregions.items()) {
        row(out, s.contains("parent") ? "subregion" : "region", s.value("plate", std::string()), name,
            s.contains("volume_mm3") ? s["volume_mm3"] : json(), s);
    }
    for (const auto& [name, v] : volumes.items()) {
        if (!plates.contains(name)) {
            out << "structure," << name << ",," << number(v) << ",,,,,,,,,,,,,\n";
        }
    }
    return out.str();
}

} // namespace strata::knee
