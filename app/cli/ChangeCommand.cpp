#include "cli/CommandDescriptions.h"
#include "cli/Commands.h"
#include "cli/ExecutorOptions.h"
#include "strata/Error.h"
#include "strata/results/ResultBundle.h"
#include "strata/results/TimepointComparison.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace strata::cli {

namespace {

/// A side given as a scan (image file or DICOM folder) is analysed first with the knee pipeline into
/// `out`/<which>_result (kept: a second run reuses it); a result bundle is used as it is.
std::filesystem::path resultFor(const std::string& side, const char* which, const std::filesystem::path& out,
                                const ExecutorOptions& options, bool quiet)
{
    namespace fs = std::filesystem;
    if (results::ResultBundle::isBundle(side)) return side;
    std::error_code ec;
    if (!fs::exists(side, ec)) throw InvalidArgument(std::string("The ") + which + " '" + side + "' does not exist.");
    const fs::path bundle = out / (std::string(which) + "_result");
    if (results::ResultBundle::isBundle(bundle)) {
        if (!quiet) std::cerr << "Using the " << which << " result analysed earlier: " << bundle.string() << '\n';
        return bundle;
    }
    if (!quiet) std::cerr << "Analysing the " << which << " scan " << side << " (knee)...\n";
    pipeline::RunRequest request;
    request.pipeline = "knee-mri";
    request.inputs["image"] = side;
    request.outputDir = bundle;
    request.device = options.device;
    request.threads = options.threads;
    request.parameters = options.parameters();
    const auto executor = options.makeExecutor();
    const auto result = runInTerminal(*executor, request, quiet);
    if (result.status != pipeline::RunStatus::Succeeded) {
        throw Error(std::string("The ") + which + " '" + side + "' is not a result bundle (no provenance.json) and could not be "
                    "analysed as a knee scan: " + result.message);
    }
    return result.bundleDir;
}

} // namespace

void registerChangeCommand(CLI::App& app)
{
    struct Options {
        std::string baseline, followup, out;
        double maxResidualMm{0.0};
        double searchRadiusMm{3.0};
        bool quiet{false};
        ExecutorOptions executor;
    };
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("change", fullCommandDescription("change"));
    cmd->add_option("baseline", o->baseline,
                    "Result bundle of the baseline scan, or the scan itself (analysed first into OUT/baseline_result)")
        ->required();
    cmd->add_option("followup", o->followup,
                    "Result bundle of the follow-up scan, or the scan itself (analysed first into OUT/followup_result)")
        ->required();
    cmd->add_option("--out,-o", o->out, "Folder for change.csv, change.json and change_map.nii.gz")->required();
    cmd->add_option("--max-residual-mm", o->maxResidualMm,
                    "Largest bone alignment residual accepted as the same knee (default: 1 mm or half the coarsest voxel side)")
        ->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--search-radius-mm", o->searchRadiusMm, "How far the change map looks for the follow-up plate (default 3)")
        ->check(CLI::Range(0.1, 50.0));
    cmd->add_flag("--quiet,-q", o->quiet, "No progress lines");
    o->executor.addTo(cmd); // for scans given instead of results
    cmd->callback([o] {
        results::ComparisonOptions options;
        options.maxResidualMm = o->maxResidualMm;
        options.searchRadiusMm = o->searchRadiusMm;
        const ProgressFn progress = [o](double, const std::string& message) {
            if (!o->quiet) std::cerr << message << "...\n";
        };
        const std::filesystem::path baseline = resultFor(o->baseline, "baseline", o->out, o->executor, o->quiet);
        const std::filesystem::path followup = resultFor(o->followup, "followup", o->out, o->executor, o->quiet);
        const auto c = results::TimepointComparison::run(baseline, followup, options, progress);
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
