#include "cli/Commands.h"
#include "strata/core/Error.h"
#include "strata/core/results/TimepointComparison.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace strata::cli {

void registerChangeCommand(CLI::App& app)
{
    struct Options {
        std::string baseline, followup, out;
        double maxResidualMm{0.0};
        double searchRadiusMm{3.0};
        bool quiet{false};
    };
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand(
        "change", "Cartilage change between two knee results of the same knee (e.g. strata-cli change base/ month12/ --out "
                  "change/): per plate and per Wirth & Eckstein region and subregion, baseline and follow-up mean thickness, "
                  "change in mm and %, and volume change; femur, tibia and patella of the follow-up rigidly aligned to the "
                  "baseline's one by one, with their residuals, and a per-voxel thickness change map on the baseline grid. "
                  "Writes change.csv, change.json and change_map.nii.gz. A pair whose bones do not align (two different "
                  "knees) is refused with exit code 1");
    cmd->add_option("baseline", o->baseline, "Result bundle of the baseline scan")->required();
    cmd->add_option("followup", o->followup, "Result bundle of the follow-up scan")->required();
    cmd->add_option("--out,-o", o->out, "Folder for change.csv, change.json and change_map.nii.gz")->required();
    cmd->add_option("--max-residual-mm", o->maxResidualMm,
                    "Largest bone alignment residual accepted as the same knee (default: 1 mm or half the coarsest voxel side)")
        ->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--search-radius-mm", o->searchRadiusMm, "How far the change map looks for the follow-up plate (default 3)")
        ->check(CLI::Range(0.1, 50.0));
    cmd->add_flag("--quiet,-q", o->quiet, "No progress lines");
    cmd->callback([o] {
        results::ComparisonOptions options;
        options.maxResidualMm = o->maxResidualMm;
        options.searchRadiusMm = o->searchRadiusMm;
        const ProgressFn progress = [o](double, const std::string& message) {
            if (!o->quiet) std::cerr << message << "...\n";
        };
        const auto c = results::TimepointComparison::run(o->baseline, o->followup, options, progress);
        for (const auto& a : c.alignments) {
            std::printf("%-8s aligned: moved %.2f mm, rotated %.2f deg, residual %.2f mm (95%% within %.2f mm)\n", a.bone.c_str(),
                        a.movedMm, a.baselineToFollowup.angleDegrees(), a.residualMm, a.residualP95Mm);
        }
        if (!c.aligned()) throw InvalidArgument(c.misalignment() + " Nothing written; --max-residual-mm accepts a larger residual.");
        c.write(o->out);
        for (const auto& r : c.rows) {
            if (!r.region.empty()) continue;
            std::printf("%-26s %6.3f -> %6.3f mm  (%+.3f mm, %+.1f %%)\n", r.structure.c_str(), r.baselineMm, r.followupMm,
                        r.changeMm(), r.changePercent());
        }
        const std::filesystem::path out = o->out;
        std::cout << "Change tables: " << (out / "change.csv").string() << ", " << (out / "change.json").string()
                  << "; change map: " << (out / "change_map.nii.gz").string() << '\n';
    });
}

} // namespace strata::cli
