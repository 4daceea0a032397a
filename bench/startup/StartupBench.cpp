// Command-line start-up and `info` speed (issue 21): whole-process wall time and peak RSS, median of N runs, of
//   strata-cli --help
//   strata-cli info <Colin27>             vs  python3 + nibabel loading it (nibabel.load(p).get_fdata())
//   strata-cli info <generated series>    vs  dcm2niix converting it to NIfTI
// in one run, Strata and its peer taking turns run by run, with the ratios. A peer that is not installed is skipped (python3-nibabel and dcm2niix: apt).
//
//   strata_startup_bench [--cli PATH] [--runs 5] [--colin PATH] [--slices 160[,1000...]] [--keep DIR]
#include "SyntheticDicomSeries.h"

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace fs = std::filesystem;

namespace {

struct Sample {
    double seconds{0};
    double peakMiB{0};
    int exitCode{0};
};

/// Runs `args` once (stdout and stderr to /dev/null): wall time, peak RSS, exit code.
Sample runOnce(const std::vector<std::string>& args)
{
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const auto start = std::chrono::steady_clock::now();
    pid_t pid = 0;
    const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return {0, 0, 127};
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return {seconds, usage.ru_maxrss / 1024.0, WIFEXITED(status) ? WEXITSTATUS(status) : 128};
}

Sample medianOf(std::vector<Sample> samples)
{
    for (const Sample& s : samples) {
        if (s.exitCode != 0) return s;
    }
    const auto mid = [&](auto key) {
        std::vector<double> v;
        for (const auto& s : samples) v.push_back(key(s));
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    return {mid([](const Sample& s) { return s.seconds; }), mid([](const Sample& s) { return s.peakMiB; }), 0};
}

/// One command to time: its arguments and what runs ahead of each run (untimed: clean-up).
struct Command {
    std::vector<std::string> args;
    std::function<void()> before;
};

/// Median wall time and median peak RSS of `runs` runs of each command, the commands taking turns (a, b, a, b,
/// ...) so that a change of load on this shared machine falls on all of them alike.
std::vector<Sample> interleaved(const std::vector<Command>& commands, int runs)
{
    std::vector<std::vector<Sample>> samples(commands.size());
    for (int i = 0; i < runs; ++i) {
        for (std::size_t c = 0; c < commands.size(); ++c) {
            if (commands[c].before) commands[c].before();
            samples[c].push_back(runOnce(commands[c].args));
        }
    }
    std::vector<Sample> medians;
    for (auto& s : samples) medians.push_back(medianOf(std::move(s)));
    return medians;
}

Sample median(const std::vector<std::string>& args, int runs)
{
    return interleaved({{args, {}}}, runs).front();
}

bool installed(const std::vector<std::string>& probe)
{
    return runOnce(probe).exitCode == 0;
}

void row(const std::string& task, const Sample& s)
{
    if (s.exitCode != 0) {
        std::printf("  %-58s failed (exit code %d)\n", task.c_str(), s.exitCode);
    } else {
        std::printf("  %-58s %7.3f s  %7.1f MiB\n", task.c_str(), s.seconds, s.peakMiB);
    }
}

void ratio(const std::string& what, const Sample& strata, const Sample& peer, double target)
{
    if (strata.exitCode != 0 || peer.exitCode != 0) return;
    const double r = strata.seconds / peer.seconds;
    std::printf("  -> %s: %.2fx the peer's time (target <= %.2fx): %s\n", what.c_str(), r, target,
                r <= target ? "met" : "NOT met");
}

std::vector<std::size_t> parseList(const std::string& s)
{
    std::vector<std::size_t> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoul(item));
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    const fs::path self = fs::read_symlink("/proc/self/exe");
    fs::path cli = self.parent_path().parent_path().parent_path() / "app" / "strata-cli"; // build/bench/startup/..
    fs::path colin = "/usr/share/mricron/templates/ch2.nii.gz";
    fs::path keep;
    int runs = 5;
    std::vector<std::size_t> slices{160};
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--cli") cli = next();
        else if (a == "--runs") runs = std::max(1, std::stoi(next()));
        else if (a == "--colin") colin = next();
        else if (a == "--slices") slices = parseList(next());
        else if (a == "--keep") keep = next();
        else {
            std::cerr << "usage: strata_startup_bench [--cli PATH] [--runs N] [--colin NIFTI] [--slices 160,1000] "
                         "[--keep DIR]\n";
            return 2;
        }
    }
    if (!fs::exists(cli)) {
        std::cerr << "strata-cli not found at " << cli << " (--cli PATH)\n";
        return 2;
    }
    const fs::path work = keep.empty() ? fs::temp_directory_path() / ("strata_startup_bench." + std::to_string(getpid()))
                                       : keep;
    fs::create_directories(work);
    const std::string python = fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
    const bool haveNibabel = installed({python, "-c", "import nibabel"});
    const bool haveDcm2niix = installed({"dcm2niix", "-v"}) || installed({"dcm2niix", "-h"});

    std::printf("strata-cli: %s\nmedian of %d whole-process runs each, Strata and its peer taking turns; %u cores, "
                "load average now ", cli.c_str(), runs,
                std::max(1u, static_cast<unsigned>(sysconf(_SC_NPROCESSORS_ONLN))));
    double load[3]{};
    if (getloadavg(load, 3) > 0) std::printf("%.2f", load[0]);
    std::printf("\n\n");

    row("strata-cli --help", median({cli.string(), "--help"}, runs));

    if (fs::exists(colin)) {
        const Command strata{{cli.string(), "info", colin.string()}, {}};
        if (haveNibabel) {
            const auto m = interleaved(
                {strata,
                 {{python, "-c", "import sys, nibabel; nibabel.load(sys.argv[1]).get_fdata()", colin.string()}, {}}},
                runs);
            row("strata-cli info " + colin.filename().string(), m[0]);
            row("python3 + nibabel load + get_fdata", m[1]);
            ratio("info on Colin27 vs nibabel", m[0], m[1], 1.0);
        } else {
            row("strata-cli info " + colin.filename().string(), interleaved({strata}, runs)[0]);
            std::printf("  (python3-nibabel not installed: peer skipped)\n");
        }
    } else {
        std::printf("  (%s missing: apt package mricron-data; skipped)\n", colin.c_str());
    }

    for (const std::size_t n : slices) {
        const fs::path series = work / ("series_" + std::to_string(n));
        if (!fs::exists(series / "IM0001.dcm")) strata::bench::writeSyntheticDicomSeries(series, n);
        std::printf("\n");
        const Command strata{{cli.string(), "info", series.string()}, {}};
        const std::string task = "strata-cli info, " + std::to_string(n) + "-file 256 x 256 series";
        if (haveDcm2niix) {
            const fs::path out = work / ("nifti_" + std::to_string(n));
            const Command peer{{"dcm2niix", "-o", out.string(), "-f", "converted", series.string()}, [out] {
                                   fs::remove_all(out);
                                   fs::create_directories(out);
                               }};
            const auto m = interleaved({strata, peer}, runs);
            row(task, m[0]);
            row("dcm2niix converting it to NIfTI", m[1]);
            ratio("info on the " + std::to_string(n) + "-file series vs dcm2niix", m[0], m[1], 1.5);
        } else {
            row(task, interleaved({strata}, runs)[0]);
            std::printf("  (dcm2niix not installed: peer skipped)\n");
        }
    }
    if (getloadavg(load, 3) > 0) std::printf("\nload average at the end %.2f\n", load[0]);
    if (keep.empty()) fs::remove_all(work);
    return 0;
}
