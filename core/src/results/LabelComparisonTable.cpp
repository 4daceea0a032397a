#include "strata/results/LabelComparisonTable.h"

#include "strata/results/ResultTables.h"

namespace strata::results {
namespace {

TableCell optionalNumber(const std::optional<double>& v, int decimals)
{
    return v ? TableCell::number(*v, decimals) : TableCell::label("");
}

} // namespace

ResultTable labelComparisonTable(const std::vector<quant::LabelAgreement>& rows, const std::string& nameA,
                                 const std::string& nameB)
{
    ResultTable t;
    t.id = "label_comparison";
    t.title = "Label maps compared: A = " + nameA + ", B = " + nameB;
    t.columns = {"Label",           "Id",
                 "Dice",            "Volume A (mm³)",
                 "Volume B (mm³)",  "B - A (mm³)",
                 "B - A (%)",       "Mean surface distance (mm)",
                 "Hausdorff 95 (mm)"};
    for (const auto& r : rows) {
        t.rows.push_back({TableCell::label(displayName(r.name)), TableCell::number(r.id, 0), TableCell::number(r.dice, 4),
                          TableCell::number(r.mm3A, 1), TableCell::number(r.mm3B, 1), TableCell::number(r.differenceMm3(), 1),
                          optionalNumber(r.differencePercent(), 1), optionalNumber(r.meanSurfaceMm, 2),
                          optionalNumber(r.hausdorff95Mm, 2)});
        t.rowLabels.push_back(r.id);
    }
    return t;
}

} // namespace strata::results
