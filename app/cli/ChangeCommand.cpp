#include "cli/Commands.h"
#include "strata/core/Error.h"
#include "strata/core/JsonLimits.h"
#include "strata/core/results/TimepointChange.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <cstdio>
#include <memory>

namespace strata::cli {

namespace {

nlohmann::json bundleMetrics(const std::filesystem::path& dir, const char* which)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(dir / "provenance.json", ec)) {
        throw InvalidArgument(std::string("The ") + which + " '" + dir.string() +
                              "' is not a result bundle (no provenance.json); run the knee analysis on the scan first.");
    }
    if (!std::filesystem::is_regular_file(dir / "metrics.json", ec)) {
        throw InvalidArgument(std::string("The ") + which + " result '" + dir.string() + "' has no metrics.json (is it a knee result?).");
    }
    return readJsonFile(dir / "metrics.json");
}

} // namespace

void registerChangeCommand(CLI::App& app)
{
    struct Options {
        std::string baseline, followup, out;
    };
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand(
        "change", "Cartilage change between two knee results of the same knee (e.g. strata-cli change base/ month12/ --out "
                  "change/): per plate and per Wirth & Eckstein region and subregion, baseline and follow-up mean thickness, "
                  "change in mm and %, and volume change; writes change.csv and change.json");
    cmd->add_option("baseline", o->baseline, "Result bundle of the baseline scan")->required();
    cmd->add_option("followup", o->followup, "Result bundle of the follow-up scan")->required();
    cmd->add_option("--out,-o", o->out, "Folder for change.csv and change.json")->required();
    cmd->callback([o] {
        const auto rows = results::TimepointChange::compare(bundleMetrics(o->baseline, "baseline"), bundleMetrics(o->followup, "follow-up"));
        const std::filesystem::path out = o->out;
        std::filesystem::create_directories(out);
        std::ofstream csv(out / "change.csv");
        csv << results::TimepointChange::kHeader << results::TimepointChange::csvLines(rows);
        const nlohmann::json doc = {{"baseline", std::filesystem::absolute(o->baseline).string()},
                                    {"followup", std::filesystem::absolute(o->followup).string()},
                                    {"method", "each timepoint measured on its own segmentation and subregions, then differenced "
                                               "(plates: area-weighted mean thickness; regions: ThCtAB)"},
                                    {"rows", results::TimepointChange::toJson(rows)}};
        std::ofstream json(out / "change.json");
        json << doc.dump(2) << '\n';
        if (!csv || !json) throw IoError("Cannot write the change tables into '" + out.string() + "'.");
        for (const auto& r : rows) {
            if (!r.region.empty()) continue;
            std::printf("%-26s %6.3f -> %6.3f mm  (%+.3f mm, %+.1f %%)\n", r.structure.c_str(), r.baselineMm, r.followupMm,
                        r.changeMm(), r.changePercent());
        }
        std::cout << "Change tables: " << (out / "change.csv").string() << ", " << (out / "change.json").string() << '\n';
    });
}

} // namespace strata::cli
