#pragma once

#include "strata/pipeline/StageContext.h"

namespace strata::knee {

/// For a DICOM input (kDicomIdentity in the workspace): writes dicom/seg.dcm (the segmentation as DICOM SEG in the
/// source's patient, study and frame of reference) and, when the result has cartilage measurements,
/// dicom/sr.dcm (TID 1500 report referencing the SEG). Records the written UIDs, or why it could not, in the
/// provenance notes ("dicom_export"); a DICOM export problem does not fail the analysis.
void writeDicomResults(pipeline::StageContext& ctx);

} // namespace strata::knee
