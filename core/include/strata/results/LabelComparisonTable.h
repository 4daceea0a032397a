#pragma once

#include "strata/quant/LabelAgreement.h"
#include "strata/results/ResultTable.h"

#include <string>
#include <vector>

namespace strata::results {

/// The agreement of two label maps as a table ("label_comparison"): one row per label (its id in rowLabels) with
/// Dice, volume A and B (mm³), their difference (mm³ and % of A) and the surface distances (mm); a cell is empty where
/// a value does not exist (a label missing from one map). `nameA` and `nameB` go into the title.
[[nodiscard]] ResultTable labelComparisonTable(const std::vector<quant::LabelAgreement>& rows, const std::string& nameA,
                                               const std::string& nameB);

} // namespace strata::results
