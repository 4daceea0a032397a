#include "cli/CommandDescriptions.h"
#include "cli/Commands.h"

#include <stdexcept>

namespace strata::cli {

const std::vector<FullCommandDescription>& fullCommandDescriptions()
{
    static const std::vector<FullCommandDescription> descriptions{
        {"pipelines", "List the analysis pipelines with their inputs and parameters"},
        {"run", "Run an analysis pipeline on an input and write a result bundle "
                "(e.g. strata-cli run knee scan.nii.gz --out result/)"},
        {"report", "Make the A4 PDF and/or HTML report of a result bundle (no display needed; "
                   "the 3D picture comes from --view3d, e.g. a GUI screenshot)"},
        {"cohort", "Run a pipeline on every case of a cohort and table the results (e.g. strata-cli cohort knee "
                   "cohort.csv --out study/). Finished cases are skipped on a rerun; a failing case does not stop "
                   "the others. Exit code 0: all cases finished; " +
                       std::to_string(kCohortFailuresExit) +
                       ": some failed (see failures.csv); 1: the cohort could not be run at all."},
        {"change",
         "Cartilage change between two knee results of the same knee (e.g. strata-cli change base/ month12/ --out "
         "change/): per plate and per Wirth & Eckstein region and subregion, baseline and follow-up mean thickness, "
         "change in mm and %, and volume change; femur, tibia and patella of the follow-up rigidly aligned to the "
         "baseline's one by one, with their residuals, and a per-voxel thickness change map on the baseline grid. "
         "Writes change.csv, change.json and change_map.nii.gz. A scan given instead of a result is analysed first. A "
         "pair whose bones do not align (two different knees) is refused with exit code 1"},
    };
    return descriptions;
}

const std::string& fullCommandDescription(std::string_view name)
{
    for (const auto& d : fullCommandDescriptions()) {
        if (d.name == name) return d.text;
    }
    throw std::logic_error("no description for strata-cli subcommand " + std::string(name));
}

} // namespace strata::cli
