#pragma once

#include <CLI/CLI.hpp>

#include <cstddef>
#include <string>

namespace strata::cli {

// Each subcommand of strata-cli registers itself here. Handlers throw strata::Error on failure;
// main() turns that into a one-line message and a non-zero exit code.
void registerInfoCommand(CLI::App& app);
void registerConvertCommand(CLI::App& app);
void registerPhantomCommand(CLI::App& app);
void registerPipelinesCommand(CLI::App& app);
void registerRunCommand(CLI::App& app);
void registerReportCommand(CLI::App& app);
void registerCohortCommand(CLI::App& app);
void registerChangeCommand(CLI::App& app);

/// Exit code of `strata-cli cohort` when some cases failed (the others finished; failures.csv says which).
inline constexpr int kCohortFailuresExit = 3;
/// `run knee` on a scan that quality control finds is not a knee (the bundle is written, with no tables).
inline constexpr int kNotAKneeExit = 4;

/// Thrown by a command that ends with a documented exit code other than 0 or 1 (cohort: some cases failed;
/// run: not a knee): main() prints `message` (when not empty) as the error line and exits with `code`.
struct ExitCode {
    int code;
    std::string message;
};

} // namespace strata::cli
