#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace strata::results {

/// One cell of a results table: its text as shown, and its number when it is one (for sorting, CSV, JSON).
struct TableCell {
    std::string text;
    double value{0.0};
    bool numeric{false};

    [[nodiscard]] static TableCell number(double v, int decimals);
    [[nodiscard]] static TableCell label(std::string s);
};

/// A small titled table of results (per plate, per region, volumes) shown in the GUI and in reports.
struct ResultTable {
    std::string id;    ///< "plates", "subregions", "volumes": file name for exports
    std::string title;
    std::vector<std::string> columns;
    std::vector<std::vector<TableCell>> rows;
    /// Label id per row (0 when the row is not one label), for highlighting in the views.
    std::vector<int> rowLabels;
    /// Region key per row ("ecMF", "aMT", ...; see quant::SubregionFrame), empty or short when rows are not regions.
    std::vector<std::string> rowRegions;

    /// RFC 4180 CSV with a header line.
    [[nodiscard]] std::string toCsv() const;
    /// Writes toCsv() to `path`; throws IoError naming the file when that fails.
    void writeCsv(const std::filesystem::path& path) const;
    /// [{column: value, ...}, ...] with numbers as numbers.
    [[nodiscard]] nlohmann::json toJson() const;
};

} // namespace strata::results
