#include "strata/quant/Thickness.h"

#include "quant/BinaryVolume.h"
#include "quant/LocalThickness.h"
#include "quant/Supersample.h"
#include "strata/Error.h"

#include <cmath>
#include <string>

namespace strata::quant {
namespace {

/// Local thickness of one cut-out structure, supersampled when the options ask for it (progress in [lo, hi]).
std::vector<float> thicknessOfVolume(const detail::BinaryVolume& vol, const LocalThicknessOptions& options, std::stop_token stop,
                                     const ProgressFn& progress, double lo, double hi)
{
    const auto f = detail::supersampleFactors(vol.spacing, options.maxSubvoxelMm);
    if (f[0] * f[1] * f[2] == 1) return detail::localThicknessOfVolume(vol, options, stop, progress, lo, hi);
    const double mid = lo + 0.9 * (hi - lo);
    const detail::BinaryVolume fine = detail::supersample(vol, f);
    const std::vector<float> fineValues = detail::localThicknessOfVolume(fine, options, stop, progress, lo, mid);
    std::size_t missing = 0;
    std::vector<float> values = detail::averageToCoarse(vol, fine, f, fineValues, missing);
    if (missing > 0) { // voxels the smoothed surface left out keep their value on the grid
        const std::vector<float> onGrid = detail::localThicknessOfVolume(vol, options, stop, progress, mid, hi);
        for (std::size_t i = 0; i < values.size(); ++i)
            if (std::isnan(values[i])) values[i] = onGrid[i];
    }
    return values;
}

} // namespace

Image localThickness(const Image& mask, const LocalThicknessOptions& options, std::stop_token stop,
                     const ProgressFn& progress)
{
    const detail::BinaryVolume vol = detail::cutOutMask(mask);
    Image out(mask.size(), PixelType::Float32);
    out.copyGeometryFrom(mask);
    const std::vector<float> t = thicknessOfVolume(vol, options, stop, progress, 0.0, 1.0);
    detail::scatterBox(vol, t, out);
    return out;
}

Image thicknessMap(const LabelMap& labels, const std::vector<int>& labelIds, const LocalThicknessOptions& options,
                   std::stop_token stop, const ProgressFn& progress)
{
    const Image& ids = labels.image();
    Image out(ids.size(), PixelType::Float32);
    out.copyGeometryFrom(ids);
    const double n = static_cast<double>(std::max<std::size_t>(1, labelIds.size()));
    for (std::size_t i = 0; i < labelIds.size(); ++i) {
        throwIfStopped(stop);
        const int id = labelIds[i];
        const auto info = labels.table().find(id);
        const std::string name = info ? info->name : "label " + std::to_string(id);
        const double lo = static_cast<double>(i) / n, hi = static_cast<double>(i + 1) / n;
        reportProgress(progress, lo, "Thickness of " + name);
        const detail::BinaryVolume vol = detail::cutOutLabel(ids, id);
        const auto sub = [&](double f, const std::string& msg) { reportProgress(progress, f, name + ": " + msg); };
        const std::vector<float> t =
            thicknessOfVolume(vol, options, stop, progress ? ProgressFn(sub) : ProgressFn(), lo, hi);
        detail::scatterBox(vol, t, out);
    }
    reportProgress(progress, 1.0, "Thickness map done");
    return out;
}

} // namespace strata::quant
