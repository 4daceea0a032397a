#include "cli/FullCli.h"
#include "cli/CommandDescriptions.h"
#include "strata/Error.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

namespace strata::cli {

std::string_view subcommandOf(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (!arg.empty() && arg.front() != '-') return arg;
    }
    return {};
}

bool isFullCommand(std::string_view name)
{
    for (const auto& d : fullCommandDescriptions()) {
        if (d.name == name) return true;
    }
    return false;
}

void execFullCli(char** argv)
{
    std::error_code ec;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) throw Error("Cannot find this program's folder to start " + std::string(kFullCliName) + ": " + ec.message());
    const std::filesystem::path full = self.parent_path() / kFullCliName;
    ::execv(full.c_str(), argv);
    const int error = errno;
    throw Error("Cannot start " + full.string() + " (it runs pipelines, run, report, cohort and change): " +
                std::strerror(error));
}

namespace {
char** rememberedArguments = nullptr;
} // namespace

void rememberArguments(char** argv)
{
    rememberedArguments = argv;
}

void execFullCli()
{
    if (!rememberedArguments) throw Error(std::string("strata-cli: the command needs ") + kFullCliName + '.');
    execFullCli(rememberedArguments);
}

void registerFullCommands(CLI::App& app, char** argv)
{
    for (const auto& d : fullCommandDescriptions()) {
        auto* cmd = app.add_subcommand(d.name, d.text);
        // Options are strata-cli-full's to parse; main() normally hands over before parsing (so that
        // `strata-cli run --help` shows run's own help), this is the fallback.
        cmd->allow_extras();
        cmd->callback([argv] { execFullCli(argv); });
    }
}

} // namespace strata::cli
