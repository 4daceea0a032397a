#pragma once

#include "strata/LabelTable.h"
#include "strata/dicom/DicomIdentity.h"
#include "strata/dicom/DicomSegWriter.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace strata::dicom {

/// One measurement of a TID 1500 measurement group, as read back.
struct SrMeasurement {
    std::string name; ///< Code Meaning of the concept name, e.g. "Volume", "Thickness"
    std::string derivation; ///< Code Meaning of the derivation modifier ("Mean"), or ""
    double value{0};
    std::string unit; ///< UCUM code, e.g. "mm3"
};

/// One measurement group (TID 1411) as read back.
struct SrMeasurementGroup {
    std::string trackingIdentifier; ///< "femoral_cartilage" (a plate) or "femoral_cartilage/cMF" (a subregion)
    std::string trackingUid;
    std::string segSopInstanceUid; ///< the SEG referenced as the measured region
    int segmentNumber{0};
    std::string sourceSeriesUid;
    std::vector<SrMeasurement> measurements;
};

/// Writes the cartilage measurements of a knee result (metrics.json's thickness_mm, volumes_mm3 and subregions)
/// as a DICOM Enhanced SR following TID 1500 (Measurement Report): one measurement group per plate and per
/// Wirth & Eckstein region / subregion, each referencing the plate's segment of the SEG `seg` as its region and
/// the source series, with its volume (SCT 118565006 Volume, UCUM mm3) and mean thickness (concept Thickness,
/// derivation SCT 373098007 Mean, UCUM mm), in the patient and study of `source`. Throws InvalidArgument when
/// the metrics hold no plate, IoError when DCMTK refuses the document or the file.
void writeKneeMeasurementReport(const nlohmann::json& metrics, const LabelTable& labels, const DicomIdentity& source,
                                const WrittenSeg& seg, const std::filesystem::path& file);

/// Reads the measurement groups of a TID 1500 report (any writer). Throws IoError.
[[nodiscard]] std::vector<SrMeasurementGroup> readMeasurementReport(const std::filesystem::path& file);

} // namespace strata::dicom
