#pragma once

#include <CLI/CLI.hpp>

#include <string_view>

namespace strata::cli {

/// `strata-cli` is a light program (image IO only: info, convert, phantom) so that `--help` and `info` start in
/// a few milliseconds without loading LibTorch, Qt or VTK. The subcommands that need them (pipelines, run,
/// report, cohort, change) run in `strata-cli-full`, installed next to it, which `strata-cli` becomes (execv,
/// same arguments, same process id, so signals and exit codes are the program's own).
inline constexpr const char* kFullCliName = "strata-cli-full";

/// The subcommand named on a command line: its first argument that is not an option ("" when none).
std::string_view subcommandOf(int argc, char** argv);

/// Whether `name` is one of the subcommands that strata-cli-full runs.
bool isFullCommand(std::string_view name);

/// Replaces this process by strata-cli-full (in this program's folder) with the same arguments (argv[0] kept,
/// so usage lines still say strata-cli). Throws strata::Error when it cannot be started.
[[noreturn]] void execFullCli(char** argv);

/// Keeps main()'s argv for execFullCli() without arguments (called where a command finds it needs
/// strata-cli-full only once it runs, e.g. `convert` to PNG: strata/io/RasterCodecs.h).
void rememberArguments(char** argv);
[[noreturn]] void execFullCli();

/// Lists the strata-cli-full subcommands with their descriptions in `app`'s help; running one forwards to it.
void registerFullCommands(CLI::App& app, char** argv);

} // namespace strata::cli
