#include "cli/CommandDescriptions.h"
#include "cli/Commands.h"
#include "cli/ExecutorOptions.h"
#include "cli/InterruptScope.h"
#include "cli/TerminalProgress.h"
#include "strata/Error.h"
#include "strata/cohort/CohortRunner.h"

#include <iostream>
#include <memory>

namespace strata::cli {

void registerCohortCommand(CLI::App& app)
{
    struct Options {
        std::string pipeline;
        std::string manifest;
        std::string out;
        bool quiet{false};
        ExecutorOptions executor;
    };
    auto o = std::make_shared<Options>();
    auto* cmd = app.add_subcommand("cohort", fullCommandDescription("cohort"));
    cmd->add_option("pipeline", o->pipeline, "Pipeline id; 'knee' = knee-mri")->required();
    cmd->add_option("manifest", o->manifest,
                    "CSV with columns subject,timepoint,image[,labels] (paths relative to the CSV), or a folder of scans")
        ->required();
    cmd->add_option("--out,-o", o->out, "Cohort folder: <subject>/<timepoint>/ bundles, cohort.csv, failures.csv")->required();
    o->executor.addTo(cmd);
    cmd->add_flag("--quiet,-q", o->quiet, "No progress line");
    cmd->callback([o] {
        const auto cases = cohort::CohortManifest::read(o->manifest);
        const auto executor = o->executor.makeExecutor();
        cohort::CohortOptions options;
        options.pipeline = resolvePipelineId(o->pipeline);
        findPipeline(*executor, options.pipeline); // an unknown pipeline is one error, not one per case
        options.parameters = o->executor.parameters();
        options.device = o->executor.device;
        options.threads = o->executor.threads;
        options.outDir = o->out;
        cohort::CohortRunner runner(*executor, options);

        InterruptScope interrupt;
        TerminalProgress progress(!o->quiet);
        const auto summary = runner.run(cases, progress, interrupt.token());
        progress.finish();
        for (const auto& c : summary.outcomes) {
            if (c.state == cohort::CaseOutcome::State::Failed) {
                std::cerr << "strata-cli: case " << c.item.subject << "/" << c.item.timepoint << " failed: " << c.message << '\n';
            }
        }
        std::cout << "Cohort: " << cases.size() << " cases, " << summary.succeeded << " run, " << summary.skipped
                  << " finished earlier, " << summary.failed << " failed"
                  << (summary.cancelled ? ", interrupted" : "") << ". Tables: " << (std::filesystem::path(o->out) / "cohort.csv").string()
                  << ", " << (std::filesystem::path(o->out) / "failures.csv").string() << '\n';
        if (summary.cancelled) InterruptScope::exitInterrupted("the cohort stopped; run it again to resume");
        if (summary.failed > 0) {
            throw ExitCode{kCohortFailuresExit,
                           std::to_string(summary.failed) + " case(s) of the cohort failed (see failures.csv)."};
        }
    });
}

} // namespace strata::cli
