#pragma once

#include "strata/LabelTable.h"

#include <string>

namespace strata::dicom {

/// A coded concept (Code Value, Coding Scheme Designator, Code Meaning).
struct Code {
    std::string value;
    std::string scheme;
    std::string meaning;
};

/// How one label is described in a DICOM SEG: Segmented Property Category and Type (CID 7150 / 7151, SNOMED CT)
/// and the name shown by viewers.
struct SegmentCoding {
    std::string label; ///< Segment Label: the structure, e.g. "Medial tibial cartilage"
    Code category;
    Code type;
};

/// The coding of a Strata structure name (femur, tibia, patella -> Tissue / Bone; *_cartilage -> Tissue /
/// Cartilage; *_meniscus -> Tissue / Meniscus; muscle -> Tissue / Muscle). Other names get category and type
/// Tissue with the name as label: every segment has a coded category and type, as the SEG IOD requires.
[[nodiscard]] SegmentCoding segmentCodingFor(const LabelInfo& label);

} // namespace strata::dicom
