// OCR throughput, whole processes, in the same run on the same pages: the tesseract CLI used well (one process
// per page, as many at once as there are cores, OMP_THREAD_LIMIT=1: `ls *.png | xargs -P N -I{} tesseract {} out/{}`)
// against `strata-cli run ocr folder/` with its defaults. Medians of interleaved runs: wall, CPU (user + system of
// the whole process tree), pages/s, and the character error rate of each against the rendered ground truth.
//
//   strata_ocr_bench [--pages 8] [--size 3600x4800] [--lines 38] [--runs 3] [--cli PATH] [--before PATH]
//                    [--keep DIR] [--json FILE]
//
// --cli: the strata-cli to time (default: the one in this build tree); --before: a second strata-cli (an older
// build) timed in the same runs, for before/after figures.
#include "strata/ImageIO.h"
#include "strata/ImageSource.h"
#include "strata/ocr/CharacterErrorRate.h"

#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

int sh(const std::string& cmd)
{
    const int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string readAll(const fs::path& p)
{
    std::ifstream f(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), {}};
}

std::string shellQuoted(const fs::path& p)
{
    return "'" + p.string() + "'";
}

std::string loadAverage()
{
    std::string s = readAll("/proc/loadavg");
    return s.substr(0, s.find(' ', s.find(' ', s.find(' ') + 1) + 1));
}

/// `lines` lines of about 80 characters: words, numbers and punctuation (deterministic per page).
std::string pageText(int page, int lines)
{
    static const std::vector<std::string> words{
        "invoice", "patient", "quartz", "vexingly", "jukebox", "Baker", "Street", "London", "total", "amount",
        "payable", "within", "days", "order", "number", "shipped", "received", "signature", "temperature", "pressure",
        "the", "of", "and", "to", "in", "is", "for", "with", "on", "by", "Zebra", "Fredrick", "opal", "jewels",
        "discotheque", "liquor", "dozen", "sphinx", "judge", "brown", "lazy", "account", "balance", "reference"};
    std::mt19937 rng(1000 + page);
    std::string text;
    for (int line = 0; line < lines; ++line) {
        std::string l;
        while (l.size() < 80) {
            std::string w = words[rng() % words.size()];
            if (rng() % 7 == 0) {
                w = std::to_string(rng() % 100000);
            }
            if (rng() % 9 == 0) {
                w += ",";
            }
            l += (l.empty() ? "" : " ") + w;
        }
        text += l + ".\n";
    }
    return text;
}

double childCpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_CHILDREN, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

struct Tool {
    std::string name;
    std::vector<double> wall, cpu, cer;
};

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

/// Runs `command`, returns {wall, cpu} seconds of the whole process tree; exits on failure.
std::pair<double, double> timed(const std::string& command)
{
    const double cpu0 = childCpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    if (sh(command) != 0) {
        std::cerr << "failed: " << command << "\n";
        std::exit(1);
    }
    return {std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), childCpuSeconds() - cpu0};
}

/// Mean CER of the pages of a strata result bundle (ocr.json, matched by source file name).
double bundleCer(const fs::path& bundle, const std::map<std::string, std::string>& truth)
{
    const json doc = json::parse(readAll(bundle / "ocr.json"));
    double sum = 0;
    for (const auto& [file, text] : truth) {
        std::string hypothesis;
        for (const auto& p : doc.at("pages")) {
            if (p.value("source", std::string()) == file) {
                hypothesis = p.value("text", std::string());
            }
        }
        sum += strata::ocr::characterErrorRate(text, hypothesis);
    }
    return sum / static_cast<double>(truth.size());
}

} // namespace

int main(int argc, char** argv)
{
    int pages = 8, width = 3600, height = 4800, lines = 38, runs = 3;
    fs::path keep, jsonOut, before;
    fs::path cli = fs::canonical("/proc/self/exe").parent_path() / "../../app/strata-cli";
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const bool more = i + 1 < argc;
        if (a == "--pages" && more) pages = std::stoi(argv[++i]);
        else if (a == "--size" && more && std::sscanf(argv[++i], "%dx%d", &width, &height) == 2) continue;
        else if (a == "--lines" && more) lines = std::stoi(argv[++i]);
        else if (a == "--runs" && more) runs = std::stoi(argv[++i]);
        else if (a == "--cli" && more) cli = argv[++i];
        else if (a == "--before" && more) before = argv[++i];
        else if (a == "--keep" && more) keep = argv[++i];
        else if (a == "--json" && more) jsonOut = argv[++i];
        else {
            std::cerr << "usage: strata_ocr_bench [--pages 8] [--size 3600x4800] [--lines 38] [--runs 3] [--cli PATH]"
                         " [--before PATH] [--keep DIR] [--json FILE]\n";
            return 2;
        }
    }
    if (sh("command -v tesseract >/dev/null && command -v text2image >/dev/null") != 0) {
        std::cerr << "strata_ocr_bench: needs tesseract and text2image (Debian package tesseract-ocr)\n";
        return 2;
    }
    if (!fs::exists(cli)) {
        std::cerr << "strata_ocr_bench: no strata-cli at " << cli << " (build it, or pass --cli)\n";
        return 2;
    }
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const fs::path dir = keep.empty() ? fs::temp_directory_path() / ("strata-ocr-bench-" + std::to_string(::getpid())) : keep;
    fs::create_directories(dir / "render");
    fs::create_directories(dir / "pages");
    const std::vector<std::string> fonts{"DejaVu Serif", "Liberation Sans", "DejaVu Sans Mono", "Liberation Serif"};
    std::map<std::string, std::string> truth; // page file name -> text
    std::cout << "Rendering " << pages << " pages (" << width << " x " << height << " px, 300 dpi, 12 pt, " << lines
              << " lines of ~80 characters, four fonts) with text2image, as 8-bit grey PNG...\n";
    for (int p = 0; p < pages; ++p) {
        char name[32];
        std::snprintf(name, sizeof name, "p%03d", p);
        const fs::path base = dir / "render" / name, png = dir / "pages" / (std::string(name) + ".png");
        truth[png.filename().string()] = pageText(p, lines);
        if (fs::exists(png)) {
            continue;
        }
        std::ofstream(base.string() + ".gt.txt") << truth[png.filename().string()];
        if (sh("text2image --text " + shellQuoted(base.string() + ".gt.txt") + " --outputbase " + shellQuoted(base) + " --font '" +
               fonts[p % fonts.size()] + "' --fonts_dir /usr/share/fonts --fontconfig_tmpdir " + shellQuoted(dir / "render") +
               " --xsize " + std::to_string(width) + " --ysize " + std::to_string(height) +
               " --margin 60 --ptsize 12 --resolution 300 --degrade_image=false --rotate_image=false >/dev/null 2>&1") != 0) {
            std::cerr << "text2image failed for page " << p << "\n";
            return 1;
        }
        const auto refs = strata::ImageSource::list(base.string() + ".tif");
        if (refs.size() != 1) {
            std::cerr << "page " << p << " did not fit on one page\n";
            return 1;
        }
        strata::writeImage(strata::ImageSource::read(refs.front(), 1'000'000'000), png);
    }

    std::vector<Tool> tools{{"tesseract CLI, xargs -P " + std::to_string(cores) + ", OMP_THREAD_LIMIT=1", {}, {}, {}},
                            {"strata-cli run ocr (defaults)", {}, {}, {}}};
    if (!before.empty()) {
        tools.push_back({"strata-cli run ocr (defaults), --before build", {}, {}, {}});
    }
    auto runTool = [&](std::size_t t, int run) {
        const fs::path out = dir / ("out-" + std::to_string(t) + "-" + std::to_string(run));
        fs::remove_all(out);
        std::pair<double, double> wc;
        if (t == 0) {
            fs::create_directories(out);
            wc = timed("cd " + shellQuoted(dir / "pages") + " && ls *.png | OMP_THREAD_LIMIT=1 xargs -P " + std::to_string(cores) +
                       " -I{} tesseract {} " + shellQuoted(out) + "/{} >/dev/null 2>&1");
            double sum = 0;
            for (const auto& [file, text] : truth) {
                sum += strata::ocr::characterErrorRate(text, readAll(out / (file + ".txt")));
            }
            tools[t].cer.push_back(sum / static_cast<double>(truth.size()));
        } else {
            wc = timed(shellQuoted(t == 1 ? cli : before) + " run ocr " + shellQuoted(dir / "pages") + " --out " + shellQuoted(out) +
                       " -q >/dev/null");
            tools[t].cer.push_back(bundleCer(out, truth));
        }
        tools[t].wall.push_back(wc.first);
        tools[t].cpu.push_back(wc.second);
        std::printf("  run %d  %-52s wall %6.2f s  CPU %6.2f s  CER %.4f\n", run + 1, tools[t].name.c_str(), wc.first,
                    wc.second, tools[t].cer.back());
        std::fflush(stdout);
        fs::remove_all(out);
    };
    const std::string loadBefore = loadAverage();
    std::cout << "\n" << cores << " cores; load average " << loadBefore << "; " << runs
              << " interleaved runs (the order rotates each run)\n";
    for (int r = 0; r < runs; ++r) {
        for (std::size_t k = 0; k < tools.size(); ++k) {
            runTool((k + static_cast<std::size_t>(r)) % tools.size(), r);
        }
    }
    const std::string loadAfter = loadAverage();
    std::printf("\nmedians of %d runs, %d pages (load average %s before, %s after):\n", runs, pages, loadBefore.c_str(),
                loadAfter.c_str());
    std::printf("%-52s %8s %8s %8s %8s\n", "", "wall s", "CPU s", "pages/s", "CER");
    for (const auto& t : tools) {
        std::printf("%-52s %8.2f %8.2f %8.3f %8.4f\n", t.name.c_str(), median(t.wall), median(t.cpu),
                    pages / median(t.wall), median(t.cer));
    }
    std::vector<double> ratios;
    for (int r = 0; r < runs; ++r) {
        ratios.push_back(tools[0].wall[static_cast<std::size_t>(r)] / tools[1].wall[static_cast<std::size_t>(r)]);
    }
    const double ratio = median(tools[0].wall) / median(tools[1].wall);
    std::printf("\nstrata vs the CLI (wall, medians): %.2fx faster (per run: ", ratio);
    for (double x : ratios) {
        std::printf("%.2f ", x);
    }
    std::printf("); CPU: %.2fx; target >= 1.5x at equal or lower CER: %s\n", median(tools[0].cpu) / median(tools[1].cpu),
                ratio >= 1.5 && median(tools[1].cer) <= median(tools[0].cer) ? "met" : "not met");
    if (!jsonOut.empty()) {
        json j{{"pages", pages}, {"size", {width, height}}, {"lines", lines}, {"runs", runs}, {"cores", cores},
               {"load_before", loadBefore}, {"load_after", loadAfter}, {"ratio_wall", ratio}, {"ratios_per_run", ratios}};
        for (const auto& t : tools) {
            j["tools"].push_back({{"name", t.name}, {"wall_s", t.wall}, {"cpu_s", t.cpu}, {"cer", t.cer},
                                  {"median_wall_s", median(t.wall)}, {"median_cpu_s", median(t.cpu)},
                                  {"pages_per_s", pages / median(t.wall)}});
        }
        std::ofstream(jsonOut) << j.dump(2) << "\n";
    }
    if (keep.empty()) {
        fs::remove_all(dir);
    }
    return 0;
}
