#include "strata/ui/TimepointCompare.h"

#include "strata/ui/DatasetLoader.h"

#include <strata/Error.h>
#include <strata/phantom/KneeLabels.h>
#include <strata/results/ResultBundle.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace strata::ui {

namespace fs = std::filesystem;

namespace {

std::shared_ptr<Dataset> loadScan(const std::shared_ptr<const results::ResultBundle>& bundle, const char* which,
                                  std::stop_token stop)
{
    const fs::path input = bundle->inputPath();
    std::error_code ec;
    if (input.empty() || !fs::exists(input, ec)) {
        throw IoError(std::string("The ") + which + " scan ('" + input.string() +
                      "') is not there any more: the comparison was written, but cannot be shown on it.");
    }
    auto ds = DatasetLoader::load(input, stop);
    ds->labels = bundle->segmentation;
    ds->thickness = bundle->thickness;
    ds->result = bundle;
    return ds;
}

/// The bone a structure moves with.
const char* boneOf(int label)
{
    switch (label) {
    case phantom::Femur:
    case phantom::FemoralCartilage: return "femur";
    case phantom::Patella:
    case phantom::PatellarCartilage: return "patella";
    default: return "tibia";
    }
}

const results::RigidTransform* transformFor(const results::TimepointComparison& c, int label)
{
    for (const auto& a : c.alignments)
        if (a.bone == boneOf(label)) return &a.baselineToFollowup;
    return c.alignments.empty() ? nullptr : &c.alignments.front().baselineToFollowup;
}

} // namespace

TimepointCompare TimepointCompare::load(const fs::path& baselineDir, const fs::path& followupDir, const fs::path& outDir,
                                        std::stop_token stop, const ProgressFn& progress)
{
    TimepointCompare out;
    auto comparison = std::make_shared<results::TimepointComparison>(results::TimepointComparison::run(
        baselineDir, followupDir, {}, [&progress](double f, const std::string& m) { reportProgress(progress, 0.7 * f, m); }, stop));
    reportProgress(progress, 0.7, "Writing the change maps");
    comparison->write(outDir);
    out.section = results::ChangeSection::fromFolder(outDir);
    out.outDir = outDir;
    reportProgress(progress, 0.75, "Reading the baseline scan");
    out.baseline = loadScan(comparison->baseline, "baseline", stop);
    reportProgress(progress, 0.9, "Reading the follow-up scan");
    out.followup = loadScan(comparison->followup, "follow-up", stop);
    // The baseline shows the change map (its grid is the baseline segmentation's).
    const Image& change = comparison->map.map;
    if (change.sameGeometry(*out.baseline->image)) {
        out.baseline->thickness = std::make_shared<const Image>(change);
        out.baseline->thicknessIsChange = true;
        std::vector<float> sizes; // the changed voxels, on the report maps' scale
        for (const float v : change.pixels<float>())
            if (v != 0.0f) sizes.push_back(std::abs(v));
        out.baseline->thicknessMax = results::ThicknessChangeMap::displayScaleMm(std::move(sizes));
    }
    float top = 0;
    if (out.followup->thickness && out.followup->thickness->pixelType() == PixelType::Float32)
        for (const float v : out.followup->thickness->pixels<float>()) top = std::max(top, v);
    out.followup->thicknessMax = std::max(0.5, std::ceil(double(top) * 2) / 2);
    out.comparison = std::move(comparison);
    reportProgress(progress, 1.0, "Compared");
    return out;
}

Vec3 TimepointCompare::toFollowup(const Vec3& p, int label) const
{
    const auto* t = comparison ? transformFor(*comparison, label) : nullptr;
    return t ? t->apply(p) : p;
}

Vec3 TimepointCompare::toBaseline(const Vec3& q, int label) const
{
    const auto* t = comparison ? transformFor(*comparison, label) : nullptr;
    if (!t) return q;
    Vec3 d{q[0] - t->translation[0], q[1] - t->translation[1], q[2] - t->translation[2]}, p{0, 0, 0};
    for (int r = 0; r < 3; ++r) // R^T d
        for (int c = 0; c < 3; ++c) p[std::size_t(c)] += t->rotation[std::size_t(r * 3 + c)] * d[std::size_t(r)];
    return p;
}

} // namespace strata::ui
