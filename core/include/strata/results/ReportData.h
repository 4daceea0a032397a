#pragma once

#include "strata/results/ResultBundle.h"
#include "strata/results/ResultTable.h"
#include "strata/results/ThicknessHistogram.h"

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace strata::results {

/// A comparison with another timepoint of the same knee (a folder written by TimepointComparison::write: strata-cli
/// change, the GUI's Compare timepoints), shown as the report's "Change since baseline" section.
struct ChangeSection {
    std::vector<std::pair<std::string, std::string>> summary; ///< baseline, follow-up, alignment verdict
    std::vector<ResultTable> tables;                          ///< per plate, per region/subregion, bone alignment
    std::vector<std::pair<std::string, std::string>> maps;    ///< change maps: caption and the PNG's full path
    std::string methods;

    /// Reads `dir`/change.json (and names its maps). Throws IoError / InvalidArgument when it is not such a folder.
    [[nodiscard]] static ChangeSection fromFolder(const std::filesystem::path& dir);
};

/// Everything a report says, as plain text and numbers (no rendering): built from a bundle, drawn by the
/// report library as PDF or HTML.
struct ReportData {
    std::string title;
    std::string subtitle;
    std::string generatedAt;  ///< local date and time the report was made
    /// Label/value pairs: dataset, scan size and spacing, pipeline, model, device, run date, ...
    std::vector<std::pair<std::string, std::string>> summary;
    std::vector<ResultTable> tables;
    std::vector<ThicknessHistogram> histograms;
    /// 2D thickness maps of the bundle (knee: maps/<plate>.png): caption and the PNG's full path.
    std::vector<std::pair<std::string, std::string>> thicknessMaps;
    /// Provenance facts: input and model hashes, software, device, parameters.
    std::vector<std::pair<std::string, std::string>> provenance;
    /// Stage id and seconds.
    std::vector<std::pair<std::string, double>> timings;
    std::string methods;
    /// Quality control (knee): empty when the verdict is ok or absent; else a headline for a warning banner on the
    /// first page ("Not a knee: ...", "Uncertain result: ...") and the reasons, one short sentence each.
    std::string warning;
    std::vector<std::string> warningReasons;
    /// Change against another timepoint, when the report is made with one.
    std::optional<ChangeSection> change;

    /// The report of a bundle. `generatedAt` is filled from the clock.
    [[nodiscard]] static ReportData fromBundle(const ResultBundle& bundle);
};

} // namespace strata::results
