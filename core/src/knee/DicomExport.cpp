#include "knee/DicomExport.h"

#include "knee/KneeStages.h"
#include "strata/Error.h"
#include "strata/LabelMap.h"
#include "strata/dicom/DicomIdentity.h"
#include "strata/dicom/DicomSegWriter.h"
#include "strata/dicom/KneeMeasurementReport.h"

namespace strata::knee {

void writeDicomResults(pipeline::StageContext& ctx)
{
    auto& ws = ctx.workspace();
    if (!ws.contains(kDicomIdentity)) return;
    const auto& identity = ws.get(kDicomIdentity);
    const auto& labels = ws.get(kSegmentation);
    const auto& metrics = ws.get(kMetrics);
    nlohmann::json note = nlohmann::json::object();
    try {
        dicom::SegWriteOptions options;
        if (ws.contains(kGivenLabels)) {
            // Labels made elsewhere (another tool, or corrected by hand): Strata did not segment them.
            options.algorithmType = "SEMIAUTOMATIC";
            options.algorithmName = "Given segmentation";
        } else {
            options.algorithmName = "Strata knee 3D U-Net";
        }
        const auto seg = dicom::writeDicomSeg(labels, identity, ctx.outputDir() / "dicom" / "seg.dcm", options);
        note["seg"] = {{"file", "dicom/seg.dcm"},
                       {"sop_instance_uid", seg.sopInstanceUid},
                       {"series_instance_uid", seg.seriesInstanceUid},
                       {"segments", seg.segmentOfLabel.size()}};
        if (!metrics.contains("withheld") && metrics.contains("thickness_mm")) {
            ctx.progress(0.95, "Writing the DICOM measurement report");
            dicom::writeKneeMeasurementReport(metrics, labels.table(), identity, seg, ctx.outputDir() / "dicom" / "sr.dcm");
            note["sr"] = {{"file", "dicom/sr.dcm"}};
        }
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        note["error"] = e.what();
    }
    ctx.note("dicom_export", std::move(note));
}

} // namespace strata::knee
