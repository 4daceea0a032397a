#include "strata/dicom/DicomSegWriter.h"

#include "dicom/DcmtkSupport.h"
#include "strata/Error.h"
#include "strata/dicom/SegmentCoding.h"
#include "strata/Version.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmiod/cielabutil.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace strata::dicom {

namespace {

CodeSequenceMacro codeMacro(const Code& c)
{
    return CodeSequenceMacro(c.value.c_str(), c.scheme.c_str(), c.meaning.c_str());
}

/// Patient, study and Frame of Reference of the source as a dataset DCMTK's importHierarchy reads.
void putHierarchy(DcmItem& ds, const DicomIdentity& s)
{
    auto put = [&](const DcmTagKey& key, const std::string& value) { ds.putAndInsertString(key, value.c_str()); };
    if (!s.specificCharacterSet.empty()) put(DCM_SpecificCharacterSet, s.specificCharacterSet);
    put(DCM_PatientName, s.patientName);
    put(DCM_PatientID, s.patientId);
    put(DCM_PatientBirthDate, s.patientBirthDate);
    put(DCM_PatientSex, s.patientSex);
    put(DCM_StudyInstanceUID, s.studyInstanceUid);
    put(DCM_StudyDate, s.studyDate);
    put(DCM_StudyTime, s.studyTime);
    put(DCM_StudyID, s.studyId);
    put(DCM_AccessionNumber, s.accessionNumber);
    put(DCM_ReferringPhysicianName, s.referringPhysicianName);
    if (!s.studyDescription.empty()) put(DCM_StudyDescription, s.studyDescription);
    if (!s.frameOfReferenceUid.empty()) {
        put(DCM_FrameOfReferenceUID, s.frameOfReferenceUid);
        put(DCM_PositionReferenceIndicator, "");
    }
}

void checkGrid(const LabelMap& labels, const DicomIdentity& source)
{
    const Size3& size = labels.image().size();
    if (source.empty()) {
        throw InvalidArgument("A DICOM SEG needs the source series' identity (UIDs), and there is none: the input was "
                              "not a DICOM series.");
    }
    if (source.instances.size() != size[2]) {
        throw InvalidArgument("The segmentation has " + std::to_string(size[2]) + " slices but its source " +
                              source.describe() + " has " + std::to_string(source.instances.size()) +
                              ": a DICOM SEG must lie on the source grid.");
    }
    if (size[0] > 65535 || size[1] > 65535) {
        throw InvalidArgument("The segmentation's slices are too large for DICOM (over 65535 rows or columns).");
    }
    // Each slice must be where its source instance is (the label map is on the series' grid). Scanners round
    // positions (often to 0.1 mm), so within a quarter voxel.
    for (std::size_t k = 0; k < size[2]; ++k) {
        const Vec3& q = source.instances[k].position;
        const Vec3 index = labels.image().worldToIndex(q);
        if (std::abs(index[0]) > 0.25 || std::abs(index[1]) > 0.25 || std::abs(index[2] - static_cast<double>(k)) > 0.25) {
            throw InvalidArgument("Slice " + std::to_string(k) + " of the segmentation is not where the source " +
                                  "instance of that slice lies: a DICOM SEG must lie on the source grid.");
        }
    }
}

} // namespace

WrittenSeg writeDicomSeg(const LabelMap& labels, const DicomIdentity& source, const std::filesystem::path& file,
                         const SegWriteOptions& options)
{
    quietDcmtk();
    checkGrid(labels, source);
    const Image& image = labels.image();
    const Size3& size = image.size();
    const auto rows = static_cast<Uint16>(size[1]);
    const auto columns = static_cast<Uint16>(size[0]);
    const std::size_t frameSize = size[0] * size[1];
    const auto ids = labels.ids();

    // Which slices each label has voxels on.
    std::map<int, std::vector<bool>> slicesOf;
    for (std::size_t k = 0; k < size[2]; ++k) {
        for (std::size_t p = 0; p < frameSize; ++p) {
            const int id = ids[k * frameSize + p];
            if (id != 0) {
                auto& slices = slicesOf[id];
                if (slices.empty()) slices.assign(size[2], false);
                slices[k] = true;
            }
        }
    }
    if (slicesOf.empty()) {
        throw InvalidArgument("The segmentation is empty: a DICOM SEG needs at least one labelled voxel.");
    }

    IODGeneralEquipmentModule::EquipmentInfo equipment("Strata", "Strata", "1", kVersion);
    ContentIdentificationMacro content("1", options.contentLabel.c_str(), "Strata segmentation", "");
    DcmSegmentation* raw = nullptr;
    check(DcmSegmentation::createBinarySegmentation(raw, rows, columns, equipment, content), "create the segmentation");
    std::unique_ptr<DcmSegmentation> seg(raw);
    const bool manual = options.algorithmType == "MANUAL";
    const auto algorithmType = manual ? DcmSegTypes::SAT_MANUAL
                               : options.algorithmType == "SEMIAUTOMATIC" ? DcmSegTypes::SAT_SEMIAUTOMATIC
                                                                         : DcmSegTypes::SAT_AUTOMATIC;

    DcmDataset hierarchy;
    putHierarchy(hierarchy, source);
    check(seg->importHierarchy(hierarchy, OFTrue, OFTrue, !source.frameOfReferenceUid.empty(), OFFalse),
          "take over patient, study and frame of reference");
    if (source.frameOfReferenceUid.empty()) {
        // A source without a Frame of Reference: the SEG still needs one (its own).
        check(seg->getFrameOfReference().setFrameOfReferenceUID(newUid()), "set the frame of reference");
    }
    seg->getSeries().setSeriesNumber("1000");
    seg->getSeries().setSeriesDescription(options.seriesDescription.c_str());

    const std::string dimensionUid = newUid();
    IODMultiframeDimensionModule& dims = seg->getDimensions();
    check(dims.addDimensionIndex(DCM_ReferencedSegmentNumber, dimensionUid.c_str(), DCM_SegmentIdentificationSequence,
                                 "ReferencedSegmentNumber"),
          "add the segment dimension");
    check(dims.addDimensionIndex(DCM_ImagePositionPatient, dimensionUid.c_str(), DCM_PlanePositionSequence,
                                 "ImagePositionPatient"),
          "add the position dimension");

    const Mat3& d = image.direction();
    std::unique_ptr<FGPlaneOrientationPatient> orientation(FGPlaneOrientationPatient::createMinimal(
        ds(d[0]).c_str(), ds(d[3]).c_str(), ds(d[6]).c_str(), ds(d[1]).c_str(), ds(d[4]).c_str(), ds(d[7]).c_str()));
    check(seg->addForAllFrames(*orientation), "add the plane orientation");
    FGPixelMeasures measures;
    check(measures.setPixelSpacing((ds(image.spacing()[1]) + "\\" + ds(image.spacing()[0])).c_str()), "set pixel spacing");
    check(measures.setSliceThickness(ds(image.spacing()[2]).c_str()), "set slice thickness");
    check(measures.setSpacingBetweenSlices(ds(image.spacing()[2]).c_str()), "set spacing between slices");
    check(seg->addForAllFrames(measures), "add the pixel measures");

    // Every source instance is referenced once (Referenced Series Sequence).
    auto* referencedSeries = new IODSeriesAndInstanceReferenceMacro::ReferencedSeriesItem;
    referencedSeries->setSeriesInstanceUID(source.seriesInstanceUid.c_str());
    seg->getCommonInstanceReference().getReferencedSeriesItems().push_back(referencedSeries);
    std::set<std::string> referenced; // SOP instance UIDs (a multi-frame source is one instance)

    WrittenSeg written;
    std::vector<Uint8> frame(frameSize);
    FGPlanePosPatient position;
    FGFrameContent frameContent;
    FGDerivationImage derivation;
    const Code segmentationCode{"113076", "DCM", "Segmentation"};
    const Code sourceCode{"121322", "DCM", "Source image for image processing operation"};
    for (const auto& [id, slices] : slicesOf) {
        LabelInfo info = labels.table().find(id).value_or(LabelInfo{id, "label_" + std::to_string(id), {128, 128, 128, 255}});
        const SegmentCoding coding = segmentCodingFor(info);
        DcmSegment* segment = nullptr;
        check(DcmSegment::create(segment, coding.label.c_str(), codeMacro(coding.category), codeMacro(coding.type),
                                 algorithmType, manual ? "" : options.algorithmName.c_str()),
              "create segment '" + coding.label + "'");
        double L = 0, a = 0, b = 0;
        IODCIELabUtil::rgb2DicomLab(L, a, b, info.rgba[0] / 255.0, info.rgba[1] / 255.0, info.rgba[2] / 255.0);
        check(segment->setRecommendedDisplayCIELabValue(static_cast<Uint16>(std::lround(L)), static_cast<Uint16>(std::lround(a)),
                                                        static_cast<Uint16>(std::lround(b))),
              "set the segment colour");
        Uint16 number = 0;
        if (seg->addSegment(segment, number).bad()) {
            delete segment;
            throw IoError("Cannot write the DICOM SEG: DCMTK refused segment '" + coding.label + "'.");
        }
        written.segmentOfLabel[id] = number;

        for (std::size_t k = 0; k < size[2]; ++k) {
            if (!slices[k]) continue;
            for (std::size_t p = 0; p < frameSize; ++p) {
                frame[p] = ids[k * frameSize + p] == id ? 1 : 0;
            }
            const Vec3& origin = source.instances[k].position; // the source slice's own position, as viewers match them
            check(position.setImagePositionPatient(ds(origin[0]).c_str(), ds(origin[1]).c_str(), ds(origin[2]).c_str()),
                  "set the frame position");
            check(frameContent.setDimensionIndexValues(number, 0), "set the frame's segment index");
            check(frameContent.setDimensionIndexValues(static_cast<Uint32>(k + 1), 1), "set the frame's position index");
            derivation.clearData();
            DerivationImageItem* item = nullptr;
            check(derivation.addDerivationImageItem(codeMacro(segmentationCode), "", item), "add the derivation");
            auto* sourceItem = new SourceImageItem;
            const DicomInstance& instance = source.instances[k];
            sourceItem->getImageSOPInstanceReference().setReferencedSOPClassUID(instance.sopClassUid.c_str());
            sourceItem->getImageSOPInstanceReference().setReferencedSOPInstanceUID(instance.sopInstanceUid.c_str());
            if (instance.frameNumber > 0) { // a frame of a multi-frame source (enhanced MR)
                check(sourceItem->getImageSOPInstanceReference().addReferencedFrameNumber(
                          static_cast<Uint16>(std::min(instance.frameNumber, 65535u))),
                      "reference the source frame");
            }
            sourceItem->getPurposeOfReferenceCode().set(sourceCode.value.c_str(), sourceCode.scheme.c_str(),
                                                        sourceCode.meaning.c_str());
            item->getSourceImageItems().push_back(sourceItem);
            OFVector<FGBase*> perFrame;
            perFrame.push_back(&position);
            perFrame.push_back(&frameContent);
            perFrame.push_back(&derivation);
            check(seg->addFrame(frame.data(), number, perFrame), "add a frame");
            if (referenced.insert(instance.sopInstanceUid).second) {
                auto* ref = new SOPInstanceReferenceMacro;
                ref->setReferencedSOPClassUID(instance.sopClassUid.c_str());
                ref->setReferencedSOPInstanceUID(instance.sopInstanceUid.c_str());
                referencedSeries->getReferencedInstanceItems().push_back(ref);
            }
        }
    }

    DcmFileFormat fileFormat;
    DcmDataset& dataset = *fileFormat.getDataset();
    check(seg->writeDataset(dataset), "build the dataset");
    dataset.putAndInsertString(DCM_SegmentsOverlap, "NO");
    if (!source.bodyPartExamined.empty()) dataset.putAndInsertString(DCM_BodyPartExamined, source.bodyPartExamined.c_str());
    setContentDateTime(dataset);
    written.sopClassUid = stringOf(dataset, DCM_SOPClassUID);
    written.sopInstanceUid = stringOf(dataset, DCM_SOPInstanceUID);
    written.seriesInstanceUid = stringOf(dataset, DCM_SeriesInstanceUID);
    saveFile(fileFormat, file);
    return written;
}

} // namespace strata::dicom
