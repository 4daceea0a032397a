#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace strata::cli {

/// The body of both strata-cli mains (the light front and strata-cli-full): the app with its name, --version and one
/// required subcommand, the subcommands `registerCommands` adds, then parsing with the documented exit codes
/// (CLI11's for usage errors, ExitCode's, 1 with "strata-cli: error: ..." for any other failure).
int runCliMain(int argc, char** argv, const std::function<void(CLI::App&)>& registerCommands);

} // namespace strata::cli
