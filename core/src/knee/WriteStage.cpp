#include "knee/DicomExport.h"
#include "knee/KneeStages.h"
#include "knee/KneeThicknessMaps.h"
#include "knee/MetricsTable.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"

#include <fstream>

namespace strata::knee {

void WriteStage::run(pipeline::StageContext& ctx)
{
    const auto& out = ctx.outputDir();
    ctx.progress(0.05, "Writing segmentation");
    writeLabelMap(ctx.workspace().get(kSegmentation), out / "segmentation.nii.gz");
    ctx.progress(0.5, "Writing thickness map");
    writeImage(ctx.workspace().get(kThickness), out / "thickness.nii.gz");
    nlohmann::json metrics = ctx.workspace().get(kMetrics);
    if (!metrics.contains("withheld")) { // quality control found a knee: its thickness can be shown
        ctx.progress(0.7, "Drawing thickness maps");
        nlohmann::json maps = nlohmann::json::array();
        for (const auto& [caption, file] : writeKneeThicknessMaps(ctx.workspace().get(kSegmentation).image(),
                                                                  ctx.workspace().get(kThickness), out)) {
            maps.push_back({{"caption", caption}, {"file", file}});
        }
        metrics["thickness_maps"] = std::move(maps);
    }
    ctx.progress(0.9, "Writing metrics");
    std::ofstream json(out / "metrics.json");
    json << metrics.dump(2) << '\n';
    std::ofstream csv(out / "metrics.csv");
    csv << metricsCsv(metrics);
    if (!json || !csv) {
        throw IoError("Cannot write metrics into '" + out.string() + "'.");
    }
    ctx.progress(0.93, "Writing DICOM SEG");
    writeDicomResults(ctx);
}

} // namespace strata::knee
