#include "strata/results/TimepointComparison.h"

#include "io/TextFiles.h"
#include "knee/KneeThicknessMaps.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/phantom/KneeLabels.h"

#include <algorithm>
#include <cstdio>

namespace strata::results {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct PlateBone {
    int plate;
    const char* plateName;
    int bone;
    const char* boneName;
};

constexpr PlateBone kPlateBones[] = {
    {phantom::FemoralCartilage, "femoral_cartilage", phantom::Femur, "femur"},
    {phantom::MedialTibialCartilage, "medial_tibial_cartilage", phantom::Tibia, "tibia"},
    {phantom::LateralTibialCartilage, "lateral_tibial_cartilage", phantom::Tibia, "tibia"},
    {phantom::PatellarCartilage, "patellar_cartilage", phantom::Patella, "patella"},
};

ResultBundle loadBundle(const fs::path& dir, const char* which, std::stop_token stop)
{
    if (!ResultBundle::isBundle(dir)) {
        throw InvalidArgument(std::string("The ") + which + " '" + dir.string() +
                              "' is not a result bundle (no provenance.json); run the knee analysis on the scan first.");
    }
    ResultBundle b = ResultBundle::load(dir, stop, false);
    const std::string where = std::string("The ") + which + " result '" + dir.string() + "' has no ";
    if (b.metrics.empty()) throw InvalidArgument(where + "metrics.json (is it a knee result?).");
    if (!b.segmentation) throw InvalidArgument(where + "segmentation (segmentation.nii.gz): the bones are needed to align the timepoints.");
    if (!b.thickness) throw InvalidArgument(where + "thickness map (thickness.nii.gz).");
    return b;
}

bool hasLabel(const Image& labels, int id)
{
    const auto ids = labels.pixels<std::uint8_t>();
    return std::find(ids.begin(), ids.end(), std::uint8_t(id)) != ids.end();
}

std::string mm(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    return buf;
}

} // namespace

std::string TimepointComparison::misalignment() const
{
    const BoneAlignment* worst = nullptr;
    for (const auto& a : alignments)
        if (a.residualMm > residualLimitMm && (!worst || a.residualMm > worst->residualMm)) worst = &a;
    if (!worst) return {};
    return "The follow-up's " + worst->bone + " does not align with the baseline's (residual " + mm(worst->residualMm) +
           " mm, limit " + mm(residualLimitMm) + " mm): are these two scans of the same knee?";
}

TimepointComparison TimepointComparison::run(const fs::path& baselineDir, const fs::path& followupDir,
                                             const ComparisonOptions& options, const ProgressFn& progress, std::stop_token stop)
{
    reportProgress(progress, 0.0, "Reading the two results");
    const auto baseBundle = std::make_shared<const ResultBundle>(loadBundle(baselineDir, "baseline", stop));
    const auto followBundle = std::make_shared<const ResultBundle>(loadBundle(followupDir, "follow-up", stop));
    const ResultBundle& base = *baseBundle;
    const ResultBundle& follow = *followBundle;

    TimepointComparison c;
    c.baselineDir = baselineDir;
    c.followupDir = followupDir;
    c.rows = TimepointChange::compare(base.metrics, follow.metrics); // refuses unmeasured results and other sides
    c.searchRadiusMm = options.searchRadiusMm;
    double coarsest = 0;
    for (const Image* img : {&base.segmentation->image(), &follow.segmentation->image()})
        for (const double s : img->spacing()) coarsest = std::max(coarsest, s);
    c.residualLimitMm = options.maxResidualMm > 0 ? options.maxResidualMm : std::max(1.0, 0.5 * coarsest);

    const Image& bl = base.segmentation->image();
    const Image& fl = follow.segmentation->image();
    std::vector<PlateMapping> mappings;
    const int bones[] = {phantom::Femur, phantom::Tibia, phantom::Patella};
    const char* boneNames[] = {"femur", "tibia", "patella"};
    for (int b = 0; b < 3; ++b) {
        // The patella may be out of a small field of view at one timepoint: its plate is then left out of the map.
        if (bones[b] == phantom::Patella && (!hasLabel(bl, bones[b]) || !hasLabel(fl, bones[b]))) continue;
        reportProgress(progress, 0.1 + 0.25 * b, std::string("Aligning the ") + boneNames[b]);
        std::vector<int> cartilage;
        for (const auto& pb : kPlateBones)
            if (pb.bone == bones[b]) cartilage.push_back(pb.plate);
        c.alignments.push_back(BoneRegistration::align(bl, fl, bones[b], boneNames[b], cartilage, stop));
        for (const auto& pb : kPlateBones)
            if (pb.bone == bones[b]) mappings.push_back({pb.plate, pb.plateName, c.alignments.back().baselineToFollowup});
    }
    reportProgress(progress, 0.85, "Mapping the thickness change");
    c.map = ThicknessChangeMap::compute(bl, *base.thickness, fl, *follow.thickness, mappings, options.searchRadiusMm, stop);
    c.baseline = baseBundle;
    c.followup = followBundle;
    reportProgress(progress, 1.0, "Compared");
    return c;
}

json TimepointComparison::toJson() const
{
    json registration = json::array();
    for (const auto& a : alignments) registration.push_back(a.toJson());
    json plates = json::array();
    for (const auto& p : map.plates) {
        plates.push_back({{"structure", p.name}, {"voxels", p.voxels}, {"mean_change_mm", p.meanChangeMm}, {"lost_fraction", p.lostFraction}});
    }
    return {{"baseline", fs::absolute(baselineDir).string()},
            {"followup", fs::absolute(followupDir).string()},
            {"method", kMethod},
            {"rows", TimepointChange::toJson(rows)},
            {"registration", registration},
            {"residual_limit_mm", residualLimitMm},
            {"aligned", aligned()},
            {"misalignment", misalignment()},
            {"change_map", {{"file", "change_map.nii.gz"}, {"search_radius_mm", searchRadiusMm}, {"plates", plates}}}};
}

void TimepointComparison::write(const fs::path& dir) const
{
    fs::create_directories(dir);
    io::writeTextFile(dir / "change.csv", std::string(TimepointChange::kHeader) + TimepointChange::csvLines(rows));
    writeImage(map.map, dir / "change_map.nii.gz");
    json doc = toJson();
    doc["maps"] = json::array();
    if (baseline && baseline->segmentation) {
        for (const auto& [caption, file] : knee::writeKneeChangeMaps(baseline->segmentation->image(), map.map, dir))
            doc["maps"].push_back({{"caption", caption}, {"file", file}});
    }
    io::writeTextFile(dir / "change.json", doc.dump(2) + "\n");
}

} // namespace strata::results
