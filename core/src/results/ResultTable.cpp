#include "strata/results/ResultTable.h"

#include "io/TextFiles.h"

#include <cstdio>
#include <sstream>

namespace strata::results {

namespace {

std::string csvField(const std::string& s)
{
    return s.find_first_of(",\"\n") == std::string::npos ? s : io::csvQuoted(s);
}

} // namespace

TableCell TableCell::number(double v, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return {buf, v, true};
}

TableCell TableCell::label(std::string s) { return {std::move(s), 0.0, false}; }

std::string ResultTable::toCsv() const
{
    std::ostringstream out;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        out << (c ? "," : "") << csvField(columns[c]);
    }
    out << '\n';
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            out << (c ? "," : "") << csvField(row[c].text);
        }
        out << '\n';
    }
    return out.str();
}

void ResultTable::writeCsv(const std::filesystem::path& path) const { io::writeTextFile(path, toCsv()); }

nlohmann::json ResultTable::toJson() const
{
    nlohmann::json rowsJson = nlohmann::json::array();
    for (const auto& row : rows) {
        nlohmann::json r = nlohmann::json::object();
        for (std::size_t c = 0; c < row.size() && c < columns.size(); ++c) {
            if (row[c].numeric) {
                r[columns[c]] = row[c].value;
            } else {
                r[columns[c]] = row[c].text;
            }
        }
        rowsJson.push_back(std::move(r));
    }
    return {{"id", id}, {"title", title}, {"rows", rowsJson}};
}

} // namespace strata::results
