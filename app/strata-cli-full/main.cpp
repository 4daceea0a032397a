// strata-cli-full: every strata-cli subcommand, with LibTorch, Qt and VTK linked. The light strata-cli
// (app/strata-cli) hands pipelines, run, report, cohort and change to it with the same arguments.
#include "cli/CliMain.h"
#include "cli/Commands.h"

int main(int argc, char** argv)
{
    return strata::cli::runCliMain(argc, argv, [](CLI::App& app) {
        strata::cli::registerInfoCommand(app);
        strata::cli::registerConvertCommand(app);
        strata::cli::registerPhantomCommand(app);
        strata::cli::registerPipelinesCommand(app);
        strata::cli::registerRunCommand(app);
        strata::cli::registerReportCommand(app);
        strata::cli::registerCohortCommand(app);
        strata::cli::registerChangeCommand(app);
    });
}
