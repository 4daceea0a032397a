// strata-cli: the light front. info, convert and phantom run here (image IO only); the subcommands that need
// LibTorch, Qt or VTK are handed to strata-cli-full (cli/FullCli.h), so `--help` and `info` start fast.
#include "cli/CliMain.h"
#include "cli/Commands.h"
#include "cli/FullCli.h"
#include "strata/Error.h"

#include <iostream>

int main(int argc, char** argv)
{
    strata::cli::rememberArguments(argv);
    try {
        if (strata::cli::isFullCommand(strata::cli::subcommandOf(argc, argv))) strata::cli::execFullCli(argv);
    } catch (const std::exception& e) {
        std::cerr << "strata-cli: error: " << e.what() << '\n';
        return 1;
    }
    return strata::cli::runCliMain(argc, argv, [argv](CLI::App& app) {
        strata::cli::registerInfoCommand(app);
        strata::cli::registerConvertCommand(app);
        strata::cli::registerPhantomCommand(app);
        strata::cli::registerFullCommands(app, argv);
    });
}
