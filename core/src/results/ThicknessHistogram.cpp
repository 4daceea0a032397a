#include "strata/results/ThicknessHistogram.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace strata::results {

std::size_t ThicknessHistogram::total() const { return std::accumulate(counts.begin(), counts.end(), std::size_t{0}); }

std::vector<ThicknessHistogram> thicknessHistograms(const LabelMap& segmentation, const Image& thickness, double binWidth)
{
    const Image& li = segmentation.image();
    if (li.size() != thickness.size() || thickness.pixelType() != PixelType::Float32 || binWidth <= 0) {
        return {};
    }
    std::map<int, std::size_t> plateIndex;
    std::vector<ThicknessHistogram> out;
    for (const auto& info : segmentation.table().labels()) {
        const std::string suffix = "_cartilage";
        if (info.name.size() > suffix.size() && info.name.compare(info.name.size() - suffix.size(), suffix.size(), suffix) == 0) {
            plateIndex[info.id] = out.size();
            out.push_back({info.name, info.id, binWidth, {}, info.rgba});
        }
    }
    if (out.empty()) {
        return out;
    }
    const auto ids = segmentation.ids();
    const auto t = thickness.pixels<float>();
    float maxT = 0.0f;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] > 0.0f && plateIndex.count(ids[i])) {
            maxT = std::max(maxT, t[i]);
        }
    }
    const std::size_t bins = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(maxT / binWidth)) + 1);
    std::array<int, 256> lut;
    lut.fill(-1);
    for (const auto& [id, idx] : plateIndex) {
        if (id >= 0 && id < 256) {
            lut[static_cast<std::size_t>(id)] = static_cast<int>(idx);
        }
    }
    for (auto& h : out) {
        h.counts.assign(bins, 0);
    }
    for (std::size_t i = 0; i < t.size(); ++i) {
        const int p = lut[ids[i]];
        if (p >= 0 && t[i] > 0.0f) {
            const auto b = std::min(bins - 1, static_cast<std::size_t>(t[i] / binWidth));
            out[static_cast<std::size_t>(p)].counts[b]++;
        }
    }
    return out;
}

} // namespace strata::results
