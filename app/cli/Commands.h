#pragma once

#include <CLI/CLI.hpp>

namespace strata::cli {

// Each subcommand of strata-cli registers itself here. Handlers throw strata::Error on failure;
// main() turns that into a one-line message and a non-zero exit code.
void registerInfoCommand(CLI::App& app);
void registerConvertCommand(CLI::App& app);
void registerPhantomCommand(CLI::App& app);
void registerPipelinesCommand(CLI::App& app);
void registerRunCommand(CLI::App& app);
void registerReportCommand(CLI::App& app);

} // namespace strata::cli
