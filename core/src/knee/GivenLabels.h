#pragma once

#include "strata/Image.h"
#include "strata/LabelMap.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>

namespace strata::knee {

/// How the ids of a given segmentation translate into Strata's knee ids (phantom::KneeLabel 1-9).
struct GivenLabelMapping {
    std::string scheme;                       ///< "strata", "oai-zib" or "file"
    std::map<int, int> toStrata;              ///< file id -> Strata id; 0: accepted and not measured
    int combinedTibialCartilage{-1};          ///< file id of "tibial_cartilage": split into medial / lateral
    std::map<int, std::string> names;         ///< file id -> structure name, for provenance

    /// "strata": ids 1-9 as they are; 10-12 (joint fluid, muscle, subcutaneous fat of Strata's phantoms) accepted
    /// and not measured. "oai-zib": 1 femur, 2 femoral cartilage, 3 tibia, 4 tibial cartilage (split by anatomy).
    static GivenLabelMapping builtIn(const std::string& scheme);
    /// A JSON object {"id": "name"} with Strata's structure names (femur, tibia, patella, femoral_cartilage,
    /// medial_tibial_cartilage, lateral_tibial_cartilage, patellar_cartilage, medial_meniscus, lateral_meniscus),
    /// "tibial_cartilage" (both plates in one id: split by anatomy) or "ignore" (accepted, not measured).
    /// Throws InvalidArgument naming the file and the offending entry.
    static GivenLabelMapping fromJsonFile(const std::filesystem::path& path);
};

struct GivenLabels {
    LabelMap labels;          ///< Strata ids on the scan's grid, with Strata's names and colours
    nlohmann::json record;    ///< where they came from and how they were mapped: metrics.json and provenance
};

/// Reads a segmentation given with a scan and maps it to Strata's ids.
///  - Its grid must be the scan's: same size, spacing (0.1 %), origin (1 % of the smallest voxel side) and direction
///    (1e-3 per entry); otherwise one line naming both files and the first difference.
///  - Ids must be whole numbers the mapping defines; otherwise one line listing the unknown ids and their voxels.
///  - A combined tibial cartilage id is split into medial and lateral plates along the patient's left-right axis
///    (LPS x of the scan's direction matrix) by 2-means, started at the tibia's left-right centroid: the plate on the
///    side of the body midline is medial, i.e. patient left for a right knee and patient right for a left knee.
/// `table` names Strata's ids (the model card's labels); the result's table holds only the structures the mapping
/// can produce.
GivenLabels readGivenLabels(const std::filesystem::path& path, const Image& scan, const std::string& scanName,
                            const GivenLabelMapping& mapping, bool rightKnee, const LabelTable& table);

/// Which knee given labels show, for when nothing else says (no side parameter, no DICOM Laterality): "right",
/// "left", or "" when they cannot tell; `how` says why (for notes and provenance). Only labels with medial and
/// lateral tibial plates of their own tell: the medial one lies towards the body midline, so it is patient left of
/// the lateral one (LPS x larger, by at least 5 mm) in a right knee - exact, from the plates' centroids. A combined
/// tibial cartilage (split by the assumed side) does not.
[[nodiscard]] std::string sideFromGivenLabels(const GivenLabels& given, std::string& how);

} // namespace strata::knee
