// strata-cli-full: every strata-cli subcommand, with LibTorch, Qt and VTK linked. The light strata-cli
// (app/strata-cli) hands pipelines, run, report, cohort and change to it with the same arguments.
#include "cli/Commands.h"
#include "strata/core/Error.h"
#include "strata/core/Version.h"

#include <iostream>

int main(int argc, char** argv)
{
    CLI::App app{"strata-cli: Strata's command-line front end (image info, conversion, phantoms, analyses)"};
    app.set_version_flag("--version", std::string("strata-cli ") + strata::kVersion);
    app.require_subcommand(1);
    strata::cli::registerInfoCommand(app);
    strata::cli::registerConvertCommand(app);
    strata::cli::registerPhantomCommand(app);
    strata::cli::registerPipelinesCommand(app);
    strata::cli::registerRunCommand(app);
    strata::cli::registerReportCommand(app);
    strata::cli::registerCohortCommand(app);
    strata::cli::registerChangeCommand(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const strata::cli::ExitCode& e) {
        if (!e.message.empty()) std::cerr << "strata-cli: error: " << e.message << '\n';
        return e.code;
    } catch (const std::exception& e) {
        std::cerr << "strata-cli: error: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
