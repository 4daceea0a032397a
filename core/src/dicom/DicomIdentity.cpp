#include "strata/dicom/DicomIdentity.h"

#include "strata/Error.h"

namespace strata::dicom {

namespace {

using nlohmann::json;

// Field name in provenance.json <-> member.
struct Field {
    const char* name;
    std::string DicomIdentity::*member;
};

constexpr Field kFields[] = {
    {"patient_name", &DicomIdentity::patientName},
    {"patient_id", &DicomIdentity::patientId},
    {"patient_birth_date", &DicomIdentity::patientBirthDate},
    {"patient_sex", &DicomIdentity::patientSex},
    {"study_instance_uid", &DicomIdentity::studyInstanceUid},
    {"study_date", &DicomIdentity::studyDate},
    {"study_time", &DicomIdentity::studyTime},
    {"study_id", &DicomIdentity::studyId},
    {"study_description", &DicomIdentity::studyDescription},
    {"accession_number", &DicomIdentity::accessionNumber},
    {"referring_physician_name", &DicomIdentity::referringPhysicianName},
    {"series_instance_uid", &DicomIdentity::seriesInstanceUid},
    {"series_number", &DicomIdentity::seriesNumber},
    {"series_description", &DicomIdentity::seriesDescription},
    {"modality", &DicomIdentity::modality},
    {"frame_of_reference_uid", &DicomIdentity::frameOfReferenceUid},
    {"body_part_examined", &DicomIdentity::bodyPartExamined},
    {"laterality", &DicomIdentity::laterality},
    {"specific_character_set", &DicomIdentity::specificCharacterSet},
};

} // namespace

std::string DicomIdentity::describe() const
{
    const bool multiFrame = !instances.empty() && instances.front().frameNumber > 0;
    return (modality.empty() ? std::string("DICOM") : modality) + " series " + seriesInstanceUid + " (" +
           std::to_string(instances.size()) + (multiFrame ? " frames of one instance)" : " slices)");
}

json DicomIdentity::toJson() const
{
    json j = json::object();
    for (const auto& f : kFields) {
        j[f.name] = this->*f.member;
    }
    json list = json::array();
    for (const auto& i : instances) {
        json item{{"sop_class_uid", i.sopClassUid}, {"sop_instance_uid", i.sopInstanceUid}, {"position", i.position}};
        if (i.frameNumber > 0) item["frame_number"] = i.frameNumber;
        list.push_back(std::move(item));
    }
    j["instances"] = std::move(list);
    return j;
}

DicomIdentity DicomIdentity::fromJson(const json& j)
{
    if (!j.is_object()) {
        throw InvalidArgument("The DICOM identity of a result is not a JSON object.");
    }
    DicomIdentity id;
    try {
        for (const auto& f : kFields) {
            id.*f.member = j.value(f.name, std::string());
        }
        for (const auto& i : j.value("instances", json::array())) {
            DicomInstance inst;
            inst.sopClassUid = i.value("sop_class_uid", std::string());
            inst.sopInstanceUid = i.value("sop_instance_uid", std::string());
            inst.position = i.at("position").get<Vec3>();
            inst.frameNumber = i.value("frame_number", 0u);
            id.instances.push_back(std::move(inst));
        }
    } catch (const json::exception& e) {
        throw InvalidArgument(std::string("The DICOM identity of a result is malformed: ") + e.what());
    }
    return id;
}

} // namespace strata::dicom
