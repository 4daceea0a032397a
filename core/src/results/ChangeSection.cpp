#include "strata/Error.h"
#include "strata/JsonLimits.h"
#include "strata/results/ReportData.h"

#include <cstdio>

namespace strata::results {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string text(const json& j, const char* key)
{
    return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

double number(const json& j, const char* key)
{
    return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0.0;
}

std::string plateTitle(std::string name)
{
    for (auto& c : name)
        if (c == '_') c = ' ';
    if (!name.empty()) name[0] = char(std::toupper(static_cast<unsigned char>(name[0])));
    return name;
}

ResultTable changeTable(const json& rows, bool regions)
{
    ResultTable t;
    t.id = regions ? "change_regions" : "change_plates";
    t.title = regions ? "Change per Wirth & Eckstein region and subregion (ThCtAB, mm)" : "Change per plate (mean thickness, mm)";
    t.columns = regions ? std::vector<std::string>{"Plate", "Region", "Baseline", "Follow-up", "Change", "Change %"}
                        : std::vector<std::string>{"Plate", "Baseline", "Follow-up", "Change", "Change %", "Volume change %"};
    for (const auto& r : rows) {
        const std::string region = text(r, "region");
        if (region.empty() == regions) continue;
        std::vector<TableCell> row{TableCell::label(plateTitle(text(r, "structure")))};
        if (regions) row.push_back(TableCell::label(region));
        row.push_back(TableCell::number(number(r, "baseline_mm"), 3));
        row.push_back(TableCell::number(number(r, "followup_mm"), 3));
        row.push_back(TableCell::number(number(r, "change_mm"), 3));
        row.push_back(TableCell::number(number(r, "change_pct"), 1));
        if (!regions) row.push_back(TableCell::number(number(r, "volume_change_pct"), 1));
        t.rows.push_back(std::move(row));
        t.rowLabels.push_back(0);
        t.rowRegions.push_back(region);
    }
    return t;
}

} // namespace

ChangeSection ChangeSection::fromFolder(const fs::path& dir)
{
    std::error_code ec;
    if (!fs::is_regular_file(dir / "change.json", ec)) {
        throw InvalidArgument("'" + dir.string() + "' holds no change.json: make it with strata-cli change BASELINE FOLLOWUP --out DIR.");
    }
    const json doc = readJsonFile(dir / "change.json");
    if (!doc.is_object() || !doc.contains("rows") || !doc["rows"].is_array()) {
        throw InvalidArgument("'" + (dir / "change.json").string() + "' is not a change table (no rows).");
    }
    ChangeSection c;
    c.summary.emplace_back("Baseline", fs::path(text(doc, "baseline")).filename().string());
    c.summary.emplace_back("Follow-up", fs::path(text(doc, "followup")).filename().string());
    const bool aligned = doc.value("aligned", false);
    char limit[64];
    std::snprintf(limit, sizeof limit, "%.2f mm", number(doc, "residual_limit_mm"));
    c.summary.emplace_back("Bone alignment", aligned ? std::string("every bone within ") + limit
                                                     : "NOT aligned: " + text(doc, "misalignment"));
    c.tables.push_back(changeTable(doc["rows"], false));
    c.tables.push_back(changeTable(doc["rows"], true));

    ResultTable reg;
    reg.id = "change_registration";
    reg.title = "Follow-up bones aligned to the baseline (rigid, one by one)";
    reg.columns = {"Bone", "Moved (mm)", "Rotated (deg)", "Residual (mm)", "Residual 95 % (mm)"};
    const json registration = doc.value("registration", json::array());
    for (const auto& a : registration) {
        reg.rows.push_back({TableCell::label(text(a, "bone")), TableCell::number(number(a, "moved_mm"), 2),
                            TableCell::number(number(a, "rotation_deg"), 2), TableCell::number(number(a, "residual_mm"), 2),
                            TableCell::number(number(a, "residual_p95_mm"), 2)});
        reg.rowLabels.push_back(number(a, "label") > 0 ? int(number(a, "label")) : 0);
        reg.rowRegions.emplace_back();
    }
    if (!reg.rows.empty()) c.tables.push_back(reg);

    const json maps = doc.value("maps", json::array());
    for (const auto& m : maps) {
        const std::string file = text(m, "file");
        if (file.empty() || file.find("..") != std::string::npos || fs::path(file).is_absolute()) continue; // stays in dir
        c.maps.emplace_back(text(m, "caption"), (dir / file).string());
    }
    c.methods = "Change: " + text(doc, "method") +
                ". Maps show the mean change per pixel (follow-up minus baseline; blue: loss, red: gain) on the "
                "baseline's cartilage. Test-retest on phantoms (the same knee scanned in two positions): plate means "
                "within 0.05 mm, bone residuals about 0.2 mm.";
    return c;
}

} // namespace strata::results
