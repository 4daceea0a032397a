#include "strata/cohort/CohortTable.h"

#include "io/TextFiles.h"

#include <cstdio>
#include <sstream>

namespace strata::cohort {

using nlohmann::json;

namespace {

std::string field(const std::string& s)
{
    return s.find_first_of(",\"\n") == std::string::npos ? s : io::csvQuoted(s);
}

/// Unit of a measure of metrics.json's thickness or subregion objects.
std::string unitOf(const std::string& measure)
{
    if (measure == "voxels") return "voxels";
    if (measure == "volume_mm3") return "mm3";
    if (measure == "tab_mm2" || measure == "cab_mm2") return "mm2";
    if (measure == "dab_pct") return "percent";
    return "mm";
}

void statistics(std::vector<CohortRow>& rows, const std::string& structure, const std::string& region, const json& stats)
{
    if (!stats.is_object()) return;
    for (const auto& [measure, value] : stats.items()) {
        if (!value.is_number()) continue;
        rows.push_back({structure, region, measure, value.get<double>(), unitOf(measure)});
    }
}

} // namespace

std::vector<CohortRow> CohortTable::rowsFromMetrics(const json& metrics)
{
    std::vector<CohortRow> rows;
    if (!metrics.is_object()) return rows;
    if (const auto v = metrics.find("volumes_mm3"); v != metrics.end() && v->is_object()) {
        for (const auto& [structure, value] : v->items()) {
            if (value.is_number()) rows.push_back({structure, "", "volume", value.get<double>(), "mm3"});
        }
    }
    if (const auto t = metrics.find("thickness_mm"); t != metrics.end() && t->is_object()) {
        for (const auto& [structure, stats] : t->items()) statistics(rows, structure, "", stats);
    }
    if (const auto r = metrics.find("subregions"); r != metrics.end() && r->is_object()) {
        for (const auto& [region, stats] : r->items()) {
            if (!stats.is_object()) continue;
            const std::string plate = stats.value("plate", std::string());
            statistics(rows, plate, region, stats);
        }
    }
    if (const auto q = metrics.find("quality"); q != metrics.end() && q->is_object() && q->contains("structures") &&
                                                (*q)["structures"].is_object()) {
        for (const auto& [structure, s] : (*q)["structures"].items()) {
            if (s.is_object() && s.contains("confidence") && s["confidence"].is_number()) {
                rows.push_back({structure, "", "confidence", s["confidence"].get<double>(), "fraction"});
            }
        }
    }
    return rows;
}

std::string CohortTable::qualityLine(const std::string& subject, const std::string& timepoint, const json& metrics)
{
    const auto q = metrics.is_object() ? metrics.find("quality") : metrics.end();
    if (!metrics.is_object() || q == metrics.end() || !q->is_object()) return "";
    std::string reasons;
    for (const auto& r : q->value("reasons", json::array())) {
        if (r.is_string()) reasons += (reasons.empty() ? "" : "; ") + r.get<std::string>();
    }
    char confidence[32] = "";
    if (q->contains("foreground_confidence") && (*q)["foreground_confidence"].is_number()) {
        std::snprintf(confidence, sizeof confidence, "%.4f", (*q)["foreground_confidence"].get<double>());
    }
    return field(subject) + ',' + field(timepoint) + ',' + field(q->value("verdict", std::string())) + ',' + confidence +
           ',' + field(reasons) + '\n';
}

std::string CohortTable::csvLines(const std::string& subject, const std::string& timepoint, const std::vector<CohortRow>& rows)
{
    std::ostringstream out;
    for (const auto& r : rows) {
        char value[64];
        std::snprintf(value, sizeof value, "%.6g", r.value);
        out << field(subject) << ',' << field(timepoint) << ',' << field(r.structure) << ',' << field(r.region) << ','
            << field(r.measure) << ',' << value << ',' << r.unit << '\n';
    }
    return out.str();
}

} // namespace strata::cohort
