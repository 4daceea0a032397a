#include "io/DicomSeriesCommon.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

namespace strata::io {

std::string trimmedDicomValue(std::string v)
{
    while (!v.empty() && (v.back() == ' ' || v.back() == '\0')) v.pop_back();
    std::size_t start = 0;
    while (start < v.size() && v[start] == ' ') ++start;
    return v.substr(start);
}

std::string sliceSpacingProblem(const std::vector<double>& positions, const std::vector<std::string>& files)
{
    if (positions.size() < 3) {
        return {};
    }
    std::vector<double> gaps;
    for (std::size_t i = 1; i < positions.size(); ++i) {
        gaps.push_back(std::abs(positions[i] - positions[i - 1]));
    }
    std::vector<double> sorted = gaps;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 2), sorted.end());
    const double typical = sorted[sorted.size() / 2];
    auto name = [&](std::size_t i) { return "'" + std::filesystem::path(files[i]).filename().string() + "'"; };
    if (typical <= 0) {
        return "all slices of the series lie at the same position: it is not a 3D volume";
    }
    for (std::size_t i = 0; i < gaps.size(); ++i) {
        const double ratio = gaps[i] / typical;
        const double steps = std::round(ratio);
        char buf[160];
        if (ratio < 0.05) {
            return "two slices lie at the same position (" + name(i) + " and " + name(i + 1) +
                   "): the folder holds more than one acquisition of this series";
        }
        if (steps >= 2 && std::abs(ratio - steps) < 0.15) {
            std::snprintf(buf, sizeof buf, "%.3g mm between slices where %.3g mm is expected", gaps[i], typical);
            return "slices are missing or unreadable (" + std::string(buf) + ", after " + name(i) + ")";
        }
        if (std::abs(ratio - 1.0) > 0.1) {
            // A regular grid would put every slice after this one in the wrong place.
            std::snprintf(buf, sizeof buf, "%.3g mm between %s and %s where %.3g mm is regular", gaps[i],
                          name(i).c_str(), name(i + 1).c_str(), typical);
            return "the slice spacing is irregular (" + std::string(buf) + "): it cannot be read as one regular volume";
        }
    }
    return {};
}

dicom::DicomIdentity dicomIdentityOf(std::size_t slices, const std::function<std::string(std::size_t, const char*)>& tag)
{
    dicom::DicomIdentity id;
    if (slices == 0) return id;
    id.patientName = tag(0, "0010|0010");
    id.patientId = tag(0, "0010|0020");
    id.patientBirthDate = tag(0, "0010|0030");
    id.patientSex = tag(0, "0010|0040");
    id.studyInstanceUid = tag(0, "0020|000d");
    id.studyDate = tag(0, "0008|0020");
    id.studyTime = tag(0, "0008|0030");
    id.studyId = tag(0, "0020|0010");
    id.studyDescription = tag(0, "0008|1030");
    id.accessionNumber = tag(0, "0008|0050");
    id.referringPhysicianName = tag(0, "0008|0090");
    id.seriesInstanceUid = tag(0, "0020|000e");
    id.seriesNumber = tag(0, "0020|0011");
    id.seriesDescription = tag(0, "0008|103e");
    id.modality = tag(0, "0008|0060");
    id.frameOfReferenceUid = tag(0, "0020|0052");
    id.bodyPartExamined = tag(0, "0018|0015");
    id.laterality = tag(0, "0020|0060");
    if (id.laterality.empty()) id.laterality = tag(0, "0020|0062");
    id.specificCharacterSet = tag(0, "0008|0005");
    for (std::size_t k = 0; k < slices; ++k) {
        dicom::DicomInstance inst;
        inst.sopClassUid = tag(k, "0008|0016");
        inst.sopInstanceUid = tag(k, "0008|0018");
        const std::string ipp = tag(k, "0020|0032");
        if (std::sscanf(ipp.c_str(), "%lf\\%lf\\%lf", &inst.position[0], &inst.position[1], &inst.position[2]) != 3) {
            inst.position = {0, 0, 0};
        }
        id.instances.push_back(std::move(inst));
    }
    return id;
}

} // namespace strata::io
