#pragma once

#include "strata/Image.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace strata::dicom {

/// One source slice of a series: the instance a derived object (SEG, SR) references, and where it lies.
struct DicomInstance {
    std::string sopClassUid;
    std::string sopInstanceUid;
    Vec3 position{0, 0, 0}; ///< Image Position (Patient), mm (LPS): the slice's first voxel
    /// The frame of a multi-frame instance (enhanced MR, CT) that is this slice, from 1; 0 for a single-frame
    /// instance. A derived object references the instance and this frame (Referenced Frame Number).
    unsigned frameNumber{0};
};

/// Who and what a DICOM series belongs to: the identity a derived object (DICOM SEG, SR) must carry so that a
/// PACS or viewer files it with its source. Read with the series (readImage with a DicomIdentity*); instances[k]
/// is slice k of the image read (for one multi-frame file: that instance, frame k + 1). Holds patient data: never log it (describe() does not name the patient).
struct DicomIdentity {
    // Patient
    std::string patientName;
    std::string patientId;
    std::string patientBirthDate;
    std::string patientSex;
    // Study
    std::string studyInstanceUid;
    std::string studyDate;
    std::string studyTime;
    std::string studyId;
    std::string studyDescription;
    std::string accessionNumber;
    std::string referringPhysicianName;
    // Series and equipment
    std::string seriesInstanceUid;
    std::string seriesNumber;
    std::string seriesDescription;
    std::string modality;
    std::string frameOfReferenceUid;
    std::string bodyPartExamined;
    std::string laterality;
    std::string specificCharacterSet;
    std::vector<DicomInstance> instances;

    [[nodiscard]] bool empty() const { return seriesInstanceUid.empty() || instances.empty(); }
    /// "MR series 1.2.3... (160 slices)": for messages and logs, without patient data.
    [[nodiscard]] std::string describe() const;

    /// Everything above, for provenance.json ("dicom").
    [[nodiscard]] nlohmann::json toJson() const;
    /// Reads toJson()'s object; missing fields stay empty. Throws InvalidArgument on a malformed object.
    [[nodiscard]] static DicomIdentity fromJson(const nlohmann::json& json);
};

} // namespace strata::dicom
