#include "strata/dicom/SegmentCoding.h"

#include <cctype>

namespace strata::dicom {

namespace {

// SNOMED CT codes as in DICOM CID 7150 (Segmentation Property Categories) and CID 7166 (Common Tissue
// Segmentation Types), checked against 3D Slicer's terminology file (Tissue 85756007, Bone 272673000, Cartilage
// 309312004, Meniscus 74135004, Muscle 71616004). Joint fluid and fat have no code here: Tissue / Tissue.
const Code kTissue{"85756007", "SCT", "Tissue"};
const Code kBone{"272673000", "SCT", "Bone"};
const Code kCartilage{"309312004", "SCT", "Cartilage"};
const Code kMeniscus{"74135004", "SCT", "Meniscus"};
const Code kMuscle{"71616004", "SCT", "Muscle"};

bool endsWith(const std::string& s, const std::string& tail)
{
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// "medial_tibial_cartilage" -> "Medial tibial cartilage"
std::string readable(const std::string& name)
{
    std::string out = name;
    for (char& c : out) {
        if (c == '_') c = ' ';
    }
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out.substr(0, 64); // LO
}

} // namespace

SegmentCoding segmentCodingFor(const LabelInfo& label)
{
    const std::string& n = label.name;
    SegmentCoding c{readable(n.empty() ? "label " + std::to_string(label.id) : n), kTissue, kTissue};
    if (n == "femur" || n == "tibia" || n == "patella" || n == "bone") {
        c.type = kBone;
    } else if (endsWith(n, "cartilage")) {
        c.type = kCartilage;
    } else if (endsWith(n, "meniscus")) {
        c.type = kMeniscus;
    } else if (n == "muscle") {
        c.type = kMuscle;
    }
    return c;
}

} // namespace strata::dicom
