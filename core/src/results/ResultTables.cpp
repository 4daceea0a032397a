#include "strata/results/ResultTables.h"

#include "strata/phantom/KneeLabels.h"
#include "strata/quant/SubregionFrame.h"

#include <cctype>

namespace strata::results {

namespace {

int labelIdOf(const LabelTable& labels, const std::string& name)
{
    const auto info = labels.findByName(name);
    return info ? info->id : 0;
}

TableCell num(const nlohmann::json& obj, const char* key, int decimals)
{
    const auto it = obj.find(key);
    if (it == obj.end() || !it->is_number()) {
        return TableCell::label("");
    }
    return TableCell::number(it->get<double>(), decimals);
}

const std::vector<std::string> kStatColumns = {"Mean (mm)", "SD (mm)", "Median (mm)", "P5 (mm)", "P95 (mm)", "Max (mm)"};

void addStats(std::vector<TableCell>& row, const nlohmann::json& s)
{
    for (const char* k : {"mean", "sd", "median", "p5", "p95", "max"}) {
        row.push_back(num(s, k, 2));
    }
}

} // namespace

std::string displayName(const std::string& name)
{
    std::string out = name;
    for (char& c : out) {
        if (c == '_') {
            c = ' ';
        }
    }
    if (!out.empty()) {
        out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    }
    return out;
}

std::vector<ResultTable> metricsTables(const nlohmann::json& metrics, const LabelTable& labels)
{
    std::vector<ResultTable> tables;
    const auto volumes = metrics.value("volumes_mm3", nlohmann::json::object());
    const auto plates = metrics.value("thickness_mm", nlohmann::json::object());

    ResultTable p{"plates", "Cartilage thickness per plate", {"Plate", "Volume (mm³)", "Voxels"}, {}, {}, {}};
    p.columns.insert(p.columns.end(), kStatColumns.begin(), kStatColumns.end());
    for (const auto& [name, s] : plates.items()) {
        std::vector<TableCell> row{TableCell::label(displayName(name)),
                                   volumes.contains(name) ? TableCell::number(volumes[name].get<double>(), 1) : TableCell::label(""),
                                   TableCell::number(s.value("voxels", 0.0), 0)};
        addStats(row, s);
        p.rows.push_back(std::move(row));
        p.rowLabels.push_back(labelIdOf(labels, name));
    }

    ResultTable r{"subregions",
                  "Cartilage regions and subregions of all four plates (Wirth & Eckstein)",
                  {"Region", "Volume (mm³)", "tAB (mm²)", "dAB (%)", "ThCtAB (mm)", "Mean (mm)", "SD (mm)", "P5 (mm)", "P95 (mm)"},
                  {}, {}, {}};
    const nlohmann::json regions = metrics.contains("subregions") ? metrics["subregions"] : nlohmann::json::object();
    for (const int plate : {static_cast<int>(phantom::FemoralCartilage), static_cast<int>(phantom::MedialTibialCartilage),
                            static_cast<int>(phantom::LateralTibialCartilage), static_cast<int>(phantom::PatellarCartilage)}) {
        for (const auto& name : quant::regionNames(plate)) {
            if (!regions.contains(name) || !regions[name].is_object()) {
                continue;
            }
            const auto& s = regions[name];
            std::vector<TableCell> row{TableCell::label(name)};
            row.push_back(num(s, "volume_mm3", 1));
            row.push_back(num(s, "tab_mm2", 1));
            row.push_back(num(s, "dab_pct", 1));
            row.push_back(num(s, "thctab_mm", 2));
            for (const char* k : {"mean", "sd", "p5", "p95"}) {
                row.push_back(num(s, k, 2));
            }
            r.rows.push_back(std::move(row));
            r.rowLabels.push_back(labelIdOf(labels, s.value("plate", std::string())));
            r.rowRegions.push_back(name);
        }
    }

    ResultTable v{"volumes", "Volume per structure", {"Structure", "Label", "Volume (mm³)", "Volume (ml)"}, {}, {}, {}};
    for (const auto& [name, value] : volumes.items()) {
        if (!value.is_number()) {
            continue;
        }
        const int id = labelIdOf(labels, name);
        v.rows.push_back({TableCell::label(displayName(name)), TableCell::number(id, 0),
                          TableCell::number(value.get<double>(), 1), TableCell::number(value.get<double>() / 1000.0, 2)});
        v.rowLabels.push_back(id);
    }
    for (auto* t : {&p, &r, &v}) {
        if (!t->rows.empty()) {
            tables.push_back(std::move(*t));
        }
    }
    return tables;
}

} // namespace strata::results
