#include "strata/dicom/KneeMeasurementReport.h"

#include "dicom/DcmtkSupport.h"
#include "strata/Error.h"
#include "strata/Version.h"
#include "strata/dicom/SegmentCoding.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmsr/cmr/tid1500.h>
#include <dcmtk/dcmsr/codes/dcm.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <cstdlib>

namespace strata::dicom {

namespace {

using nlohmann::json;
using Measurements = TID1500_MeasurementReport::TID1411_Measurements;
using Value = Measurements::MeasurementValue;

// Thickness has no code in DICOM's measurement context groups (CID 7469 / 7470): a local code, extensible group.
const DSRCodedEntryValue kThickness("THICKNESS", "99STRATA", "Thickness");
const DSRCodedEntryValue kMean("373098007", "SCT", "Mean");

void checkSr(const OFCondition& cond, const std::string& what)
{
    if (cond.bad()) {
        throw IoError("Cannot write the DICOM SR: DCMTK could not " + what + " (" + cond.text() + ").");
    }
}

void addGroup(TID1500_MeasurementReport& report, const std::string& trackingId, const Code& finding,
              const WrittenSeg& seg, int segmentNumber, const DicomIdentity& source, const json& volume,
              const json& meanThickness)
{
    checkSr(report.addVolumetricROIMeasurements(), "add a measurement group");
    Measurements& group = report.getVolumetricROIMeasurements();
    checkSr(group.setTrackingIdentifier(trackingId.c_str()), "set the tracking identifier");
    checkSr(group.setTrackingUniqueIdentifier(newUid().c_str()), "set the tracking UID");
    checkSr(group.setFinding(DSRCodedEntryValue(finding.value.c_str(), finding.scheme.c_str(), finding.meaning.c_str())),
            "set the finding");
    DSRImageReferenceValue segment(seg.sopClassUid.c_str(), seg.sopInstanceUid.c_str());
    segment.getSegmentList().addItem(static_cast<Uint16>(segmentNumber));
    checkSr(group.setReferencedSegment(segment), "reference the segment");
    checkSr(group.setSourceSeriesForSegmentation(source.seriesInstanceUid.c_str()), "set the source series");
    if (volume.is_number()) {
        checkSr(group.addMeasurement(CID7469_GenericIntensityAndSizeMeasurements::Volume,
                                     Value(ds(volume.get<double>()).c_str(), CID7181_AbstractMultiDimensionalImageModelComponentUnits::CubicMillimeter)),
                "add the volume");
    }
    if (meanThickness.is_number()) {
        checkSr(group.addMeasurement(kThickness,
                                     Value(ds(meanThickness.get<double>()).c_str(), CID7181_AbstractMultiDimensionalImageModelComponentUnits::Millimeter),
                                     OFFalse /* a new measurement after the volume */),
                "add the mean thickness");
        checkSr(group.getMeasurement().setDerivation(kMean), "set the derivation");
    }
}

} // namespace

void writeKneeMeasurementReport(const json& metrics, const LabelTable& labels, const DicomIdentity& source,
                                const WrittenSeg& seg, const std::filesystem::path& file)
{
    const json plates = metrics.value("thickness_mm", json::object());
    const json volumes = metrics.value("volumes_mm3", json::object());
    const json subregions = metrics.value("subregions", json::object());
    if (plates.empty()) {
        throw InvalidArgument("The result has no cartilage measurements to report.");
    }
    quietDcmtk();
    TID1500_MeasurementReport report(CID7021_MeasurementReportDocumentTitles::ImagingMeasurementReport);
    checkSr(report.addProcedureReported(CID100_QuantitativeDiagnosticImagingProcedures::ImagingProcedure),
            "add the procedure");
    checkSr(report.getObservationContext().addDeviceObserver(newUid().c_str(), "Strata", "Strata", "Strata"),
            "add the device observer");
    auto segmentOf = [&](const std::string& plate) -> std::pair<int, Code> {
        const auto info = labels.findByName(plate);
        if (!info || !seg.segmentOfLabel.count(info->id)) return {0, {}};
        return {seg.segmentOfLabel.at(info->id), segmentCodingFor(*info).type};
    };
    int groups = 0;
    for (const auto& [plate, stats] : plates.items()) {
        const auto [number, finding] = segmentOf(plate);
        if (number == 0) continue; // the plate has no segment (no voxels)
        addGroup(report, plate, finding, seg, number, source, volumes.contains(plate) ? volumes[plate] : json(),
                 stats.contains("mean") ? stats["mean"] : json());
        ++groups;
    }
    for (const auto& [region, stats] : subregions.items()) {
        const std::string plate = stats.value("plate", std::string());
        const auto [number, finding] = segmentOf(plate);
        if (number == 0) continue;
        addGroup(report, plate + "/" + region, finding, seg, number, source,
                 stats.contains("volume_mm3") ? stats["volume_mm3"] : json(), stats.contains("mean") ? stats["mean"] : json());
        ++groups;
    }
    if (groups == 0) {
        throw InvalidArgument("No measured cartilage plate has a segment in the DICOM SEG: nothing to report.");
    }

    DSRDocument doc(DSRTypes::DT_EnhancedSR); // the class of DCMTK's TID 1500 tree
    checkSr(doc.setTreeFromRootTemplate(report, OFTrue), "build the document tree from TID 1500");
    if (!source.specificCharacterSet.empty()) doc.setSpecificCharacterSet(source.specificCharacterSet.c_str(), OFFalse);
    if (!source.studyInstanceUid.empty()) checkSr(doc.createNewSeriesInStudy(source.studyInstanceUid.c_str()), "join the study");
    doc.setPatientName(source.patientName.c_str(), OFFalse);
    doc.setPatientID(source.patientId.c_str(), OFFalse);
    doc.setPatientBirthDate(source.patientBirthDate.c_str(), OFFalse);
    doc.setPatientSex(source.patientSex.c_str(), OFFalse);
    doc.setStudyDate(source.studyDate.c_str(), OFFalse);
    doc.setStudyTime(source.studyTime.c_str(), OFFalse);
    doc.setStudyID(source.studyId.c_str(), OFFalse);
    doc.setAccessionNumber(source.accessionNumber.c_str(), OFFalse);
    doc.setReferringPhysicianName(source.referringPhysicianName.c_str(), OFFalse);
    if (!source.studyDescription.empty()) doc.setStudyDescription(source.studyDescription.c_str(), OFFalse);
    doc.setSeriesDescription("Strata knee cartilage measurements");
    doc.setSeriesNumber("1001");
    doc.setManufacturer("Strata");
    doc.setManufacturerModelName("Strata");
    doc.setSoftwareVersions(kVersion);
    // The SEG every measurement group references is evidence of this report (in the source's study).
    checkSr(doc.getCurrentRequestedProcedureEvidence().addItem(source.studyInstanceUid.c_str(), seg.seriesInstanceUid.c_str(),
                                                               seg.sopClassUid.c_str(), seg.sopInstanceUid.c_str()),
            "list the SEG as evidence");
    doc.completeDocument();

    DcmFileFormat fileFormat;
    checkSr(doc.write(*fileFormat.getDataset()), "encode the document");
    saveFile(fileFormat, file);
}

namespace {

std::string codeMeaning(DcmItem& item, const DcmTagKey& sequence)
{
    DcmItem* code = nullptr;
    if (item.findAndGetSequenceItem(sequence, code, 0).good() && code) return stringOf(*code, DCM_CodeMeaning);
    return {};
}

std::string codeValue(DcmItem& item, const DcmTagKey& sequence)
{
    DcmItem* code = nullptr;
    if (item.findAndGetSequenceItem(sequence, code, 0).good() && code) return stringOf(*code, DCM_CodeValue);
    return {};
}

void readGroup(DcmItem& container, SrMeasurementGroup& group)
{
    DcmSequenceOfItems* content = nullptr;
    if (container.findAndGetSequence(DCM_ContentSequence, content).bad() || !content) return;
    for (unsigned long i = 0; i < content->card(); ++i) {
        DcmItem& item = *content->getItem(i);
        const std::string type = stringOf(item, DCM_ValueType);
        const std::string conceptCode = codeValue(item, DCM_ConceptNameCodeSequence);
        if (type == "TEXT" && conceptCode == "112039") {
            group.trackingIdentifier = stringOf(item, DCM_TextValue);
        } else if (type == "UIDREF" && conceptCode == "112040") {
            group.trackingUid = stringOf(item, DCM_UID);
        } else if (type == "UIDREF" && conceptCode == "121232") {
            group.sourceSeriesUid = stringOf(item, DCM_UID);
        } else if (type == "IMAGE" && conceptCode == "121191") {
            DcmItem* sop = nullptr;
            if (item.findAndGetSequenceItem(DCM_ReferencedSOPSequence, sop, 0).good() && sop) {
                group.segSopInstanceUid = stringOf(*sop, DCM_ReferencedSOPInstanceUID);
                Uint16 number = 0;
                if (sop->findAndGetUint16(DCM_ReferencedSegmentNumber, number).good()) group.segmentNumber = number;
            }
        } else if (type == "NUM") {
            SrMeasurement m;
            m.name = codeMeaning(item, DCM_ConceptNameCodeSequence);
            DcmItem* measured = nullptr;
            if (item.findAndGetSequenceItem(DCM_MeasuredValueSequence, measured, 0).good() && measured) {
                m.value = std::strtod(stringOf(*measured, DCM_NumericValue).c_str(), nullptr);
                m.unit = codeValue(*measured, DCM_MeasurementUnitsCodeSequence);
            }
            DcmSequenceOfItems* modifiers = nullptr;
            if (item.findAndGetSequence(DCM_ContentSequence, modifiers).good() && modifiers) {
                for (unsigned long j = 0; j < modifiers->card(); ++j) {
                    DcmItem& mod = *modifiers->getItem(j);
                    if (codeValue(mod, DCM_ConceptNameCodeSequence) == "121401") {
                        m.derivation = codeMeaning(mod, DCM_ConceptCodeSequence);
                    }
                }
            }
            group.measurements.push_back(std::move(m));
        }
    }
}

void findGroups(DcmItem& item, std::vector<SrMeasurementGroup>& groups)
{
    DcmSequenceOfItems* content = nullptr;
    if (item.findAndGetSequence(DCM_ContentSequence, content).bad() || !content) return;
    for (unsigned long i = 0; i < content->card(); ++i) {
        DcmItem& child = *content->getItem(i);
        if (stringOf(child, DCM_ValueType) == "CONTAINER" && codeValue(child, DCM_ConceptNameCodeSequence) == "125007") {
            SrMeasurementGroup group;
            readGroup(child, group);
            groups.push_back(std::move(group));
        } else {
            findGroups(child, groups);
        }
    }
}

} // namespace

std::vector<SrMeasurementGroup> readMeasurementReport(const std::filesystem::path& file)
{
    quietDcmtk();
    DcmFileFormat ff;
    loadFile(ff, file);
    std::vector<SrMeasurementGroup> groups;
    findGroups(*ff.getDataset(), groups);
    return groups;
}

} // namespace strata::dicom
