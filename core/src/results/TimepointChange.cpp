#include "strata/results/TimepointChange.h"

#include "strata/Error.h"
#include "strata/phantom/KneeLabels.h"
#include "strata/quant/SubregionFrame.h"

#include <cstdio>

namespace strata::results {

namespace {

using nlohmann::json;

const char* const kPlates[] = {"femoral_cartilage", "medial_tibial_cartilage", "lateral_tibial_cartilage", "patellar_cartilage"};

double number(const json& obj, const char* key)
{
    return obj.is_object() && obj.contains(key) && obj[key].is_number() ? obj[key].get<double>() : 0.0;
}

void checkMeasured(const json& m, const char* which)
{
    if (!m.is_object() || !m.contains("thickness_mm") || !m["thickness_mm"].is_object() || m["thickness_mm"].empty()) {
        const bool withheld = m.is_object() && m.contains("withheld");
        throw InvalidArgument(std::string("The ") + which + " result has no cartilage measurements" +
                              (withheld ? " (quality control found no knee in that scan)." : " (is it a knee result?)."));
    }
}

std::string fmt(double v, const char* format = "%.4f")
{
    char buf[48];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

} // namespace

std::vector<ChangeRow> TimepointChange::compare(const json& baseline, const json& followup)
{
    checkMeasured(baseline, "baseline");
    checkMeasured(followup, "follow-up");
    const std::string sideA = baseline.value("side", std::string()), sideB = followup.value("side", std::string());
    if (!sideA.empty() && !sideB.empty() && sideA != sideB) {
        throw InvalidArgument("The baseline is a " + sideA + " knee and the follow-up a " + sideB +
                              " one: change is measured between two scans of the same knee.");
    }
    std::vector<ChangeRow> rows;
    const json& ta = baseline["thickness_mm"];
    const json& tb = followup["thickness_mm"];
    const json va = baseline.value("volumes_mm3", json::object()), vb = followup.value("volumes_mm3", json::object());
    for (const char* plate : kPlates) {
        if (!ta.contains(plate) || !tb.contains(plate)) continue;
        rows.push_back({plate, "", number(ta[plate], "area_weighted_mean"), number(tb[plate], "area_weighted_mean"),
                        number(va, plate), number(vb, plate)});
    }
    const json sa = baseline.value("subregions", json::object()), sb = followup.value("subregions", json::object());
    for (const int id : {phantom::FemoralCartilage, phantom::MedialTibialCartilage, phantom::LateralTibialCartilage,
                         phantom::PatellarCartilage}) {
        for (const auto& region : quant::regionNames(id)) {
            if (!sa.contains(region) || !sb.contains(region)) continue;
            rows.push_back({sa[region].value("plate", std::string()), region, number(sa[region], "thctab_mm"),
                            number(sb[region], "thctab_mm"), number(sa[region], "volume_mm3"), number(sb[region], "volume_mm3")});
        }
    }
    return rows;
}

std::string TimepointChange::csvLines(const std::vector<ChangeRow>& rows, const std::string& prefix)
{
    std::string out;
    for (const auto& r : rows) {
        out += prefix + r.structure + ',' + r.region + ',' + fmt(r.baselineMm) + ',' + fmt(r.followupMm) + ',' + fmt(r.changeMm()) +
               ',' + fmt(r.changePercent(), "%.2f") + ',' + fmt(r.baselineVolumeMm3, "%.2f") + ',' +
               fmt(r.followupVolumeMm3, "%.2f") + ',' + fmt(r.volumeChangeMm3(), "%.2f") + ',' +
               fmt(r.volumeChangePercent(), "%.2f") + '\n';
    }
    return out;
}

json TimepointChange::toJson(const std::vector<ChangeRow>& rows)
{
    json out = json::array();
    for (const auto& r : rows) {
        out.push_back({{"structure", r.structure},
                       {"region", r.region},
                       {"baseline_mm", r.baselineMm},
                       {"followup_mm", r.followupMm},
                       {"change_mm", r.changeMm()},
                       {"change_pct", r.changePercent()},
                       {"baseline_volume_mm3", r.baselineVolumeMm3},
                       {"followup_volume_mm3", r.followupVolumeMm3},
                       {"volume_change_mm3", r.volumeChangeMm3()},
                       {"volume_change_pct", r.volumeChangePercent()}});
    }
    return out;
}

} // namespace strata::results
