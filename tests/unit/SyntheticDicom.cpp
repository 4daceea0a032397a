#include "SyntheticDicom.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcrleerg.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace strata::test {

namespace {

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

} // namespace

std::string newTestUid()
{
    char uid[100];
    dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT);
    return uid;
}

void writeSyntheticSeries(const Image& image, const std::filesystem::path& dir, SyntheticSeries& s)
{
    std::filesystem::create_directories(dir);
    if (s.studyUid.empty()) s.studyUid = newTestUid();
    if (s.seriesUid.empty()) s.seriesUid = newTestUid();
    if (s.frameOfReferenceUid.empty()) s.frameOfReferenceUid = newTestUid();
    s.sopInstanceUids.clear();
    const Size3& size = image.size();
    const Mat3& d = image.direction();
    const std::string orientation = num(d[0]) + "\\" + num(d[3]) + "\\" + num(d[6]) + "\\" + num(d[1]) + "\\" +
                                    num(d[4]) + "\\" + num(d[7]);
    std::vector<Uint16> pixels(size[0] * size[1]);
    for (std::size_t k = 0; k < size[2]; ++k) {
        DcmFileFormat ff;
        DcmDataset& ds = *ff.getDataset();
        const std::string sop = newTestUid();
        s.sopInstanceUids.push_back(sop);
        ds.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 100");
        ds.putAndInsertString(DCM_SOPClassUID, UID_MRImageStorage);
        ds.putAndInsertString(DCM_SOPInstanceUID, sop.c_str());
        ds.putAndInsertString(DCM_StudyDate, "20240102");
        ds.putAndInsertString(DCM_StudyTime, "101500");
        ds.putAndInsertString(DCM_AccessionNumber, "ACC123");
        ds.putAndInsertString(DCM_Modality, "MR");
        ds.putAndInsertString(DCM_Manufacturer, "Strata test");
        ds.putAndInsertString(DCM_ReferringPhysicianName, "");
        ds.putAndInsertString(DCM_PatientName, s.patientName.c_str());
        ds.putAndInsertString(DCM_PatientID, s.patientId.c_str());
        ds.putAndInsertString(DCM_PatientBirthDate, "19700101");
        ds.putAndInsertString(DCM_PatientSex, "F");
        ds.putAndInsertString(DCM_BodyPartExamined, "KNEE");
        ds.putAndInsertString(DCM_ScanningSequence, "GR");
        ds.putAndInsertString(DCM_SequenceVariant, "NONE");
        ds.putAndInsertString(DCM_ScanOptions, "");
        ds.putAndInsertString(DCM_MRAcquisitionType, "3D");
        ds.putAndInsertString(DCM_EchoTime, "5");
        ds.putAndInsertString(DCM_RepetitionTime, "15");
        ds.putAndInsertString(DCM_EchoTrainLength, "1");
        ds.putAndInsertString(DCM_ImageType, "ORIGINAL\\PRIMARY\\OTHER");
        ds.putAndInsertString(DCM_StudyInstanceUID, s.studyUid.c_str());
        ds.putAndInsertString(DCM_SeriesInstanceUID, s.seriesUid.c_str());
        ds.putAndInsertString(DCM_StudyID, "1");
        ds.putAndInsertString(DCM_SeriesNumber, s.seriesNumber.c_str());
        ds.putAndInsertString(DCM_InstanceNumber, std::to_string(k + 1).c_str());
        if (!s.laterality.empty()) ds.putAndInsertString(DCM_Laterality, s.laterality.c_str());
        ds.putAndInsertString(DCM_FrameOfReferenceUID, s.frameOfReferenceUid.c_str());
        ds.putAndInsertString(DCM_PositionReferenceIndicator, "");
        const Vec3 p = image.indexToWorld({0, 0, static_cast<double>(k)});
        ds.putAndInsertString(DCM_ImagePositionPatient, (num(p[0]) + "\\" + num(p[1]) + "\\" + num(p[2])).c_str());
        ds.putAndInsertString(DCM_ImageOrientationPatient, orientation.c_str());
        ds.putAndInsertString(DCM_PixelSpacing, (num(image.spacing()[1]) + "\\" + num(image.spacing()[0])).c_str());
        ds.putAndInsertString(DCM_SliceThickness, num(image.spacing()[2]).c_str());
        ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
        ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
        ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(size[1]));
        ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(size[0]));
        ds.putAndInsertUint16(DCM_BitsAllocated, 16);
        ds.putAndInsertUint16(DCM_BitsStored, 16);
        ds.putAndInsertUint16(DCM_HighBit, 15);
        ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
        if (s.rescaleSlope != 1.0 || s.rescaleIntercept != 0.0) {
            ds.putAndInsertString(DCM_RescaleSlope, num(s.rescaleSlope).c_str());
            ds.putAndInsertString(DCM_RescaleIntercept, num(s.rescaleIntercept).c_str());
            ds.putAndInsertString(DCM_RescaleType, "US");
        }
        for (std::size_t j = 0; j < size[1]; ++j) {
            for (std::size_t i = 0; i < size[0]; ++i) {
                const double v = image.valueAt(i, j, k);
                pixels[i + size[0] * j] = static_cast<Uint16>(std::clamp(std::lround(v), 0l, 65535l));
            }
        }
        ds.putAndInsertUint16Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size()));
        char name[32];
        std::snprintf(name, sizeof name, "slice_%03zu.dcm", k);
        E_TransferSyntax xfer = EXS_LittleEndianExplicit;
        switch (s.encoding) {
        case SyntheticSeries::Encoding::ExplicitLittleEndian: break;
        case SyntheticSeries::Encoding::ImplicitLittleEndian: xfer = EXS_LittleEndianImplicit; break;
        case SyntheticSeries::Encoding::ExplicitBigEndian: xfer = EXS_BigEndianExplicit; break;
        case SyntheticSeries::Encoding::RleLossless:
            DcmRLEEncoderRegistration::registerCodecs();
            xfer = EXS_RLELossless;
            if (ds.chooseRepresentation(xfer, nullptr).bad()) {
                throw std::runtime_error("cannot RLE-encode a synthetic DICOM slice");
            }
            break;
        }
        const OFCondition cond = ff.saveFile((dir / name).c_str(), xfer);
        if (cond.bad()) throw std::runtime_error(std::string("cannot write a synthetic DICOM slice: ") + cond.text());
    }
}

void writeSyntheticEnhancedMr(const Image& image, const std::filesystem::path& file)
{
    const Size3& size = image.size();
    const Mat3& d = image.direction();
    DcmFileFormat ff;
    DcmDataset& ds = *ff.getDataset();
    ds.putAndInsertString(DCM_SOPClassUID, UID_EnhancedMRImageStorage);
    ds.putAndInsertString(DCM_SOPInstanceUID, newTestUid().c_str());
    ds.putAndInsertString(DCM_StudyInstanceUID, newTestUid().c_str());
    ds.putAndInsertString(DCM_SeriesInstanceUID, newTestUid().c_str());
    ds.putAndInsertString(DCM_FrameOfReferenceUID, newTestUid().c_str());
    ds.putAndInsertString(DCM_Modality, "MR");
    ds.putAndInsertString(DCM_PatientName, "Test^Enhanced");
    ds.putAndInsertString(DCM_PatientID, "STRATA-TEST-2");
    ds.putAndInsertString(DCM_ImageType, "ORIGINAL\\PRIMARY\\M\\NONE");
    ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(size[2]).c_str());
    ds.putAndInsertUint16(DCM_SamplesPerPixel, 1);
    ds.putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
    ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(size[1]));
    ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(size[0]));
    ds.putAndInsertUint16(DCM_BitsAllocated, 16);
    ds.putAndInsertUint16(DCM_BitsStored, 16);
    ds.putAndInsertUint16(DCM_HighBit, 15);
    ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
    DcmItem* shared = nullptr;
    ds.findOrCreateSequenceItem(DCM_SharedFunctionalGroupsSequence, shared, 0);
    DcmItem* measures = nullptr;
    shared->findOrCreateSequenceItem(DCM_PixelMeasuresSequence, measures, 0);
    measures->putAndInsertString(DCM_PixelSpacing, (num(image.spacing()[1]) + "\\" + num(image.spacing()[0])).c_str());
    measures->putAndInsertString(DCM_SliceThickness, num(image.spacing()[2]).c_str());
    measures->putAndInsertString(DCM_SpacingBetweenSlices, num(image.spacing()[2]).c_str());
    DcmItem* orientation = nullptr;
    shared->findOrCreateSequenceItem(DCM_PlaneOrientationSequence, orientation, 0);
    orientation->putAndInsertString(DCM_ImageOrientationPatient,
                                    (num(d[0]) + "\\" + num(d[3]) + "\\" + num(d[6]) + "\\" + num(d[1]) + "\\" +
                                     num(d[4]) + "\\" + num(d[7])).c_str());
    std::vector<Uint16> pixels(image.voxelCount());
    for (std::size_t k = 0; k < size[2]; ++k) {
        DcmItem* frame = nullptr;
        ds.findOrCreateSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, static_cast<signed long>(k));
        DcmItem* position = nullptr;
        frame->findOrCreateSequenceItem(DCM_PlanePositionSequence, position, 0);
        const Vec3 p = image.indexToWorld({0, 0, static_cast<double>(k)});
        position->putAndInsertString(DCM_ImagePositionPatient, (num(p[0]) + "\\" + num(p[1]) + "\\" + num(p[2])).c_str());
        DcmItem* content = nullptr;
        frame->findOrCreateSequenceItem(DCM_FrameContentSequence, content, 0);
        const Uint32 index[2] = {1, static_cast<Uint32>(k + 1)};
        content->putAndInsertUint32Array(DCM_DimensionIndexValues, index, 2);
        for (std::size_t j = 0; j < size[1]; ++j)
            for (std::size_t i = 0; i < size[0]; ++i)
                pixels[image.linearIndex(i, j, k)] =
                    static_cast<Uint16>(std::clamp(std::lround(image.valueAt(i, j, k)), 0l, 65535l));
    }
    ds.putAndInsertUint16Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size()));
    const OFCondition cond = ff.saveFile(file.c_str(), EXS_LittleEndianExplicit);
    if (cond.bad()) throw std::runtime_error(std::string("cannot write a synthetic enhanced MR file: ") + cond.text());
}

} // namespace strata::test
