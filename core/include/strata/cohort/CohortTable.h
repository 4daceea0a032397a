#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace strata::cohort {

/// One measurement of one case, a row of cohort.csv.
struct CohortRow {
    std::string structure;
    std::string region;  ///< empty for a whole structure
    std::string measure; ///< volume, mean, sd, median, p5, p95, min, max, voxels, ...
    double value{0};
    std::string unit;    ///< mm3, mm2, mm, percent, voxels, fraction
};

/// The long table of a cohort: subject,timepoint,structure,region,measure,value,unit (one row per measurement,
/// ready for R, pandas or a spreadsheet's pivot table).
class CohortTable {
public:
    static constexpr const char* kHeader = "subject,timepoint,structure,region,measure,value,unit\n";

    /// The measurements in a knee bundle's metrics.json: volumes_mm3 (volume per structure), thickness_mm (per
    /// plate) and subregions (Wirth & Eckstein regions and subregions, structure = their plate: volume_mm3, tab_mm2,
    /// cab_mm2, dab_pct, thccab_mm, thctab_mm and the thickness statistics) with their statistics, and the
    /// network's mean confidence per structure from quality control (measure "confidence", unit "fraction").
    /// Sections it does not know are left out; a metrics object without any gives no rows.
    [[nodiscard]] static std::vector<CohortRow> rowsFromMetrics(const nlohmann::json& metrics);

    static constexpr const char* kQualityHeader = "subject,timepoint,verdict,confidence,reasons\n";
    /// The line of cohort_quality.csv for a case's metrics.json ("" when it has no quality object).
    [[nodiscard]] static std::string qualityLine(const std::string& subject, const std::string& timepoint,
                                                 const nlohmann::json& metrics);

    /// The CSV lines of one case (no header).
    [[nodiscard]] static std::string csvLines(const std::string& subject, const std::string& timepoint,
                                              const std::vector<CohortRow>& rows);
};

} // namespace strata::cohort
