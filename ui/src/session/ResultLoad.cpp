#include "strata/ui/session/ResultLoad.h"

#include "strata/ui/DatasetLoader.h"

#include <strata/Error.h>
#include <strata/PixelType.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace strata::ui {

double thicknessScaleTop(const Image& thickness)
{
    if (thickness.pixelType() != PixelType::Float32) {
        return 0.0;
    }
    float top = 0.0f;
    for (float v : thickness.pixels<float>()) {
        top = std::max(top, v);
    }
    return std::max(0.5, std::ceil(top * 2.0) / 2.0);
}

LoadedResult loadResult(const std::filesystem::path& dir, bool haveDataset, std::stop_token stop, const ProgressFn& progress)
{
    LoadedResult out;
    if (progress) {
        progress(0.05, "Reading the result bundle");
    }
    auto bundle = std::make_shared<results::ResultBundle>(results::ResultBundle::load(dir, stop));
    out.provenance = results::Provenance::fromJson(bundle->provenance, "'" + (dir / "provenance.json").string() + "'");
    if (progress) {
        progress(0.5, "Measuring the thickness distribution");
    }
    out.report = std::make_shared<results::ReportData>(results::ReportData::fromBundle(*bundle));
    if (bundle->thickness) {
        out.thicknessMax = thicknessScaleTop(*bundle->thickness);
    }
    // A segmentation needs its scan to be shown on; batch results (OCR pages, classified images) are shown in the
    // results panel on their own, with their input opened as a dataset only where it is one image.
    const bool needsScan = bundle->segmentation || bundle->thickness;
    if (!haveDataset) {
        const auto input = out.provenance.firstInputPath();
        std::error_code ec;
        const bool there = !input.empty() && std::filesystem::exists(input, ec);
        if (!there && needsScan) {
            throw IoError("The scan this result was computed from ('" + input.string() +
                          "') is not there any more; open the scan first, then the result.");
        }
        if (there && (needsScan || std::filesystem::is_regular_file(input, ec))) {
            try {
                out.dataset = DatasetLoader::load(input, stop, [progress](double f, const std::string& m) {
                    if (progress) {
                        progress(0.6 + 0.4 * f, m);
                    }
                });
            } catch (const IoError&) {
                if (needsScan) {
                    throw;
                }
            }
        }
    }
    out.bundle = std::move(bundle);
    return out;
}

std::string localClockTime(const std::string& iso)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, n = 0;
    if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 || n != 16 || mo < 1 || mo > 12 ||
        d < 1 || d > 31 || h > 23 || mi > 59 || y < 0 || h < 0 || mi < 0) {
        return {};
    }
    std::size_t i = static_cast<std::size_t>(n);
    int sec = 0;
    if (i < iso.size() && iso[i] == ':') { // seconds, maybe with a fraction
        if (i + 3 > iso.size() || !std::isdigit(static_cast<unsigned char>(iso[i + 1])) ||
            !std::isdigit(static_cast<unsigned char>(iso[i + 2]))) {
            return {};
        }
        sec = (iso[i + 1] - '0') * 10 + (iso[i + 2] - '0');
        i += 3;
        if (i < iso.size() && iso[i] == '.') {
            for (++i; i < iso.size() && std::isdigit(static_cast<unsigned char>(iso[i])); ++i) {
            }
        }
    }
    char clock[16];
    if (i == iso.size()) { // no zone: local time already
        std::snprintf(clock, sizeof clock, "%02d:%02d", h, mi);
        return clock;
    }
    long offset = 0; // seconds east of UTC
    if (iso[i] == 'Z' && i + 1 == iso.size()) {
        offset = 0;
    } else if ((iso[i] == '+' || iso[i] == '-')) {
        int oh = 0, om = 0, m = 0;
        const std::string zone = iso.substr(i + 1);
        if (!(std::sscanf(zone.c_str(), "%2d:%2d%n", &oh, &om, &m) == 2 && m == 5 && zone.size() == 5) &&
            !(std::sscanf(zone.c_str(), "%2d%2d%n", &oh, &om, &m) == 2 && m == 4 && zone.size() == 4)) {
            return {};
        }
        offset = (iso[i] == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
    } else {
        return {};
    }
    std::tm utc{};
    utc.tm_year = y - 1900;
    utc.tm_mon = mo - 1;
    utc.tm_mday = d;
    utc.tm_hour = h;
    utc.tm_min = mi;
    utc.tm_sec = sec;
    const std::time_t t = ::timegm(&utc) - offset;
    std::tm local{};
    if (!::localtime_r(&t, &local)) {
        return {};
    }
    std::snprintf(clock, sizeof clock, "%02d:%02d", local.tm_hour, local.tm_min);
    return clock;
}

std::string resultMapName(const results::Provenance& p)
{
    const std::string pipeline = p.pipeline.empty() ? std::string("analysis") : p.pipeline;
    const std::string time = localClockTime(p.finishedAt);
    const bool given = p.input("labels") != nullptr;
    std::string name = (given ? "result " : "AI result ") + pipeline + (time.empty() ? "" : " " + time);
    return given ? name + " (given labels)" : name;
}

} // namespace strata::ui
