// strata-cli: the light front. info, convert and phantom run here (image IO only); the subcommands that need
// LibTorch, Qt or VTK are handed to strata-cli-full (cli/FullCli.h), so `--help` and `info` start fast.
#include "cli/Commands.h"
#include "cli/FullCli.h"
#include "strata/core/Error.h"
#include "strata/core/Version.h"

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
    CLI::App app{"strata-cli: Strata's command-line front end (image info, conversion, phantoms, analyses)"};
    app.set_version_flag("--version", std::string("strata-cli ") + strata::kVersion);
    app.require_subcommand(1);
    strata::cli::registerInfoCommand(app);
    strata::cli::registerConvertCommand(app);
    strata::cli::registerPhantomCommand(app);
    strata::cli::registerFullCommands(app, argv);
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
