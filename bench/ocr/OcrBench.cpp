// OCR throughput: Strata's OcrBatch (one reused Tesseract engine per worker) vs the tesseract command-line tool
// (one process per page) on the same rendered pages, in the same run. Also checks both give the same quality
// (character error rate against the rendered ground truth).
//
//   strata_ocr_bench [--pages N] [--keep DIR] [--json FILE]
#include "strata/core/ImageSource.h"
#include "strata/core/ocr/CharacterErrorRate.h"
#include "strata/core/ocr/OcrBatch.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

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

/// Page text: ~12 lines of varied words, numbers and punctuation (deterministic per page).
std::string pageText(int page)
{
    static const std::vector<std::string> words{
        "invoice", "patient", "quartz", "vexingly", "jukebox", "Baker", "Street", "London", "total", "amount",
        "payable", "within", "days", "order", "number", "shipped", "received", "signature", "temperature", "pressure",
        "the", "of", "and", "to", "in", "is", "for", "with", "on", "by", "Zebra", "Fredrick", "opal", "jewels",
        "discotheque", "liquor", "dozen", "sphinx", "judge", "brown", "lazy", "account", "balance", "reference"};
    std::mt19937 rng(1000 + page);
    std::string text;
    for (int line = 0; line < 12; ++line) {
        std::string l;
        while (l.size() < 48) {
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

struct Variant {
    std::string name;
    double seconds{0};
    double meanCer{0};
};

void printRow(const Variant& v, int pages)
{
    std::printf("%-58s %7.2f s  %6.2f pages/s  CER %.4f\n", v.name.c_str(), v.seconds, pages / v.seconds, v.meanCer);
}

} // namespace

int main(int argc, char** argv)
{
    int pages = 16;
    fs::path keep, jsonOut;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--pages" && i + 1 < argc) pages = std::stoi(argv[++i]);
        else if (a == "--keep" && i + 1 < argc) keep = argv[++i];
        else if (a == "--json" && i + 1 < argc) jsonOut = argv[++i];
        else {
            std::cerr << "usage: strata_ocr_bench [--pages N] [--keep DIR] [--json FILE]\n";
            return 2;
        }
    }
    if (sh("command -v tesseract >/dev/null && command -v text2image >/dev/null") != 0) {
        std::cerr << "strata_ocr_bench: needs tesseract and text2image (Debian package tesseract-ocr)\n";
        return 2;
    }
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const fs::path dir = keep.empty() ? fs::temp_directory_path() / ("strata-ocr-bench-" + std::to_string(::getpid())) : keep;
    fs::create_directories(dir / "pages");
    const std::vector<std::string> fonts{"DejaVu Serif", "Liberation Sans", "DejaVu Sans Mono", "Liberation Serif"};
    std::vector<strata::ImageRef> refs;
    std::vector<std::string> truth;
    std::cout << "Rendering " << pages << " pages (1700 x 2200 px, 300 dpi, 12 pt, 12 lines) with text2image...\n";
    for (int p = 0; p < pages; ++p) {
        char name[32];
        std::snprintf(name, sizeof name, "p%03d", p);
        const fs::path base = dir / "pages" / name;
        truth.push_back(pageText(p));
        std::ofstream(base.string() + ".gt.txt") << truth.back();
        if (!fs::exists(base.string() + ".tif") &&
            sh("text2image --text '" + base.string() + ".gt.txt' --outputbase '" + base.string() + "' --font '" +
               fonts[p % fonts.size()] + "' --fonts_dir /usr/share/fonts --fontconfig_tmpdir '" + dir.string() + "' --xsize 1700 --ysize 2200 --margin 80 " +
               "--ptsize 12 --resolution 300 --degrade_image=false --rotate_image=false >/dev/null 2>&1") != 0) {
            std::cerr << "text2image failed for page " << p << "\n";
            return 1;
        }
        const auto pageRefs = strata::ImageSource::list(base.string() + ".tif");
        if (pageRefs.size() != 1) {
            std::cerr << "page " << p << " did not fit on one page\n";
            return 1;
        }
        refs.push_back(pageRefs.front());
    }
    std::ofstream list(dir / "list.txt");
    for (const auto& r : refs) {
        list << r.file.string() << "\n";
    }
    list.close();

    std::vector<Variant> rows;
    auto cliRun = [&](const std::string& name, const std::string& command) {
        fs::remove_all(dir / "cli");
        fs::create_directories(dir / "cli");
        const auto t0 = Clock::now();
        if (sh(command) != 0) {
            std::cerr << "failed: " << command << "\n";
            std::exit(1);
        }
        Variant v{name, std::chrono::duration<double>(Clock::now() - t0).count(), 0};
        for (int p = 0; p < pages; ++p) {
            v.meanCer += strata::ocr::characterErrorRate(truth[p], readAll(dir / "cli" / (refs[p].file.stem().string() + ".txt"))) / pages;
        }
        printRow(v, pages);
        rows.push_back(v);
    };
    auto strataRun = [&](const std::string& name, int workers, bool deskew) {
        strata::ocr::OcrOptions o;
        o.deskew = deskew;
        strata::ocr::OcrBatch batch(o, workers);
        const auto t0 = Clock::now();
        const auto results = batch.run(refs, {}, {});
        Variant v{name, std::chrono::duration<double>(Clock::now() - t0).count(), 0};
        for (int p = 0; p < pages; ++p) {
            v.meanCer += strata::ocr::characterErrorRate(truth[p], results[p].text) / pages;
        }
        printRow(v, pages);
        rows.push_back(v);
    };
    const std::string cliOne = "tesseract {} " + (dir / "cli").string() + "/$(basename {} .tif) --dpi 300 >/dev/null 2>&1";
    std::cout << "\n" << cores << " cores; every variant recognises the same " << pages << " pages.\n";
    cliRun("tesseract CLI, a process per page, sequential (default)",
           "xargs -a " + (dir / "list.txt").string() + " -I{} sh -c '" + cliOne + "'");
    cliRun("tesseract CLI, a process per page, sequential, OMP=1",
           "OMP_THREAD_LIMIT=1 xargs -a " + (dir / "list.txt").string() + " -I{} sh -c '" + cliOne + "'");
    cliRun("tesseract CLI, a process per page, " + std::to_string(cores) + " in parallel, OMP=1",
           "OMP_THREAD_LIMIT=1 xargs -P " + std::to_string(cores) + " -a " + (dir / "list.txt").string() +
               " -I{} sh -c '" + cliOne + "'");
    strataRun("strata OcrBatch, 1 worker, no deskew", 1, false);
    strataRun("strata OcrBatch, " + std::to_string(cores) + " workers, no deskew", static_cast<int>(cores), false);
    strataRun("strata OcrBatch, " + std::to_string(cores) + " workers, deskew (pipeline default)", static_cast<int>(cores), true);

    const double cliSeqDefault = rows[0].seconds, cliSeq1 = rows[1].seconds, cliPar = rows[2].seconds;
    const double one = rows[3].seconds, all = rows[4].seconds;
    std::printf("\nspeed-up, all cores: strata %d workers vs CLI %u parallel processes: %.2fx\n", cores, cores, cliPar / all);
    std::printf("speed-up, all cores: strata %d workers vs CLI sequential (default OpenMP): %.2fx\n", cores, cliSeqDefault / all);
    std::printf("speed-up, one core : strata 1 worker vs CLI sequential OMP=1: %.2fx\n", cliSeq1 / one);
    std::printf("one core: %.2f pages/s = %.0f pages/day (1M/day needs 11.6 pages/s: %.0f such cores)\n", pages / one,
                pages / one * 86400, std::ceil(11.574 / (pages / one)));
    if (!jsonOut.empty()) {
        nlohmann::json j{{"pages", pages}, {"cores", cores}};
        for (const auto& v : rows) {
            j["variants"].push_back({{"name", v.name}, {"seconds", v.seconds}, {"pages_per_s", pages / v.seconds}, {"cer", v.meanCer}});
        }
        j["ratio_all_cores_vs_cli_parallel"] = cliPar / all;
        j["ratio_all_cores_vs_cli_sequential"] = cliSeqDefault / all;
        j["ratio_one_core_vs_cli_sequential_omp1"] = cliSeq1 / one;
        std::ofstream(jsonOut) << j.dump(2) << "\n";
    }
    if (keep.empty()) {
        fs::remove_all(dir);
    }
    return 0;
}
