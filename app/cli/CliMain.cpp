#include "cli/CliMain.h"

#include "cli/Commands.h"
#include "strata/Version.h"

#include <iostream>

namespace strata::cli {

int runCliMain(int argc, char** argv, const std::function<void(CLI::App&)>& registerCommands)
{
    CLI::App app{"strata-cli: Strata's command-line front end (image info, conversion, phantoms, analyses)"};
    app.set_version_flag("--version", std::string("strata-cli ") + kVersion);
    app.require_subcommand(1);
    registerCommands(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const ExitCode& e) {
        if (!e.message.empty()) std::cerr << "strata-cli: error: " << e.message << '\n';
        return e.code;
    } catch (const std::exception& e) {
        std::cerr << "strata-cli: error: " << e.what() << '\n';
        return 1;
    }
    return 0;
}

} // namespace strata::cli
