#include "SyntheticDicomSeries.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/oflog/oflog.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace strata::bench {

namespace {

std::string newUid()
{
    char buffer[100];
    return dcmGenerateUniqueIdentifier(buffer, SITE_INSTANCE_UID_ROOT);
}

void check(const OFCondition& c, const std::string& what)
{
    if (c.bad()) throw std::runtime_error("DICOM series: cannot " + what + ": " + c.text());
}

} // namespace

void writeSyntheticDicomSeries(const std::filesystem::path& dir, std::size_t slices, std::size_t size)
{
    OFLog::configure(OFLogger::ERROR_LOG_LEVEL);
    std::filesystem::create_directories(dir);
    const std::string study = newUid(), series = newUid(), frame = newUid();
    const double spacing = 0.9, gap = 1.0;
    std::vector<Uint16> pixels(size * size);
    for (std::size_t z = 0; z < slices; ++z) {
        const double cz = (static_cast<double>(z) - slices / 2.0) / (slices / 2.0);
        for (std::size_t y = 0; y < size; ++y) {
            for (std::size_t x = 0; x < size; ++x) {
                const double cx = (static_cast<double>(x) - size / 2.0) / (size / 2.0);
                const double cy = (static_cast<double>(y) - size / 2.0) / (size / 2.0);
                const double r = std::sqrt(cx * cx + cy * cy + cz * cz);
                const auto v = static_cast<std::int16_t>(r < 0.8 ? 1000.0 * (1.0 - r) + 100.0 : 20.0);
                pixels[y * size + x] = static_cast<Uint16>(v);
            }
        }
        DcmFileFormat file;
        DcmDataset* d = file.getDataset();
        const auto put = [&](const DcmTagKey& tag, const std::string& value) {
            check(d->putAndInsertString(tag, value.c_str()), "set a tag");
        };
        put(DCM_SOPClassUID, UID_MRImageStorage);
        put(DCM_SOPInstanceUID, newUid());
        put(DCM_StudyInstanceUID, study);
        put(DCM_SeriesInstanceUID, series);
        put(DCM_FrameOfReferenceUID, frame);
        put(DCM_Modality, "MR");
        put(DCM_PatientName, "Bench^Startup");
        put(DCM_PatientID, "BENCH0001");
        put(DCM_StudyDate, "20261207");
        put(DCM_SeriesNumber, "1");
        put(DCM_InstanceNumber, std::to_string(z + 1));
        put(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
        put(DCM_ImagePositionPatient, "0\\0\\" + std::to_string(static_cast<double>(z) * gap));
        put(DCM_SliceLocation, std::to_string(static_cast<double>(z) * gap));
        put(DCM_PixelSpacing, std::to_string(spacing) + "\\" + std::to_string(spacing));
        put(DCM_SliceThickness, std::to_string(gap));
        put(DCM_PhotometricInterpretation, "MONOCHROME2");
        put(DCM_RescaleIntercept, "0");
        put(DCM_RescaleSlope, "1");
        check(d->putAndInsertUint16(DCM_SamplesPerPixel, 1), "set a tag");
        check(d->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(size)), "set a tag");
        check(d->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(size)), "set a tag");
        check(d->putAndInsertUint16(DCM_BitsAllocated, 16), "set a tag");
        check(d->putAndInsertUint16(DCM_BitsStored, 16), "set a tag");
        check(d->putAndInsertUint16(DCM_HighBit, 15), "set a tag");
        check(d->putAndInsertUint16(DCM_PixelRepresentation, 1), "set a tag");
        check(d->putAndInsertUint16Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size())),
              "set the pixels");
        char name[32];
        std::snprintf(name, sizeof name, "IM%04zu.dcm", z + 1);
        check(file.saveFile((dir / name).c_str(), EXS_LittleEndianExplicit), std::string("write ") + name);
    }
}

} // namespace strata::bench
