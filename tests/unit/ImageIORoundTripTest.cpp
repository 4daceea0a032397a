#include "TestSupport.h"
#include "strata/ImageIO.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace strata;
using strata::test::TempDir;

namespace {

void expectSameImage(const Image& a, const Image& b)
{
    ASSERT_EQ(a.size(), b.size());
    ASSERT_EQ(a.pixelType(), b.pixelType());
    ASSERT_EQ(a.components(), b.components());
    for (int i = 0; i < 3; ++i) {
        EXPECT_NEAR(a.spacing()[i], b.spacing()[i], 1e-5) << "spacing " << i;
        EXPECT_NEAR(a.origin()[i], b.origin()[i], 1e-5) << "origin " << i;
    }
    for (int i = 0; i < 9; ++i) {
        EXPECT_NEAR(a.direction()[i], b.direction()[i], 1e-5) << "direction " << i;
    }
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.byteCount())) << "pixel data differs";
}

struct RoundTripCase {
    std::string extension;
    PixelType type;
};

class RoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

} // namespace

TEST_P(RoundTrip, PreservesGeometryAndPixels)
{
    TempDir dir;
    const auto& param = GetParam();
    const Vec3 spacing{0.4, 0.55, 0.7};
    const Vec3 origin{-12.5, 33.25, 101.125};
    const Mat3 direction = test::obliqueDirection(0.35);
    const Image original = dispatchPixelType(param.type, [&](auto tag) {
        return test::rampImage<decltype(tag)>({17, 13, 9}, spacing, origin, direction);
    });
    const auto path = dir / ("image" + param.extension);
    writeImage(original, path);
    const Image back = readImage(path);
    expectSameImage(original, back);
    // Nothing but the image (and, for split formats, its data file) is left in the folder.
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        EXPECT_EQ(e.path().filename().string().find(".strata-partial"), std::string::npos);
    }
}

INSTANTIATE_TEST_SUITE_P(Formats, RoundTrip,
                         ::testing::Values(RoundTripCase{".nii", PixelType::Int16},
                                           RoundTripCase{".nii.gz", PixelType::Float32},
                                           RoundTripCase{".nii.gz", PixelType::UInt8},
                                           RoundTripCase{".nrrd", PixelType::UInt16},
                                           RoundTripCase{".nhdr", PixelType::Int16},
                                           RoundTripCase{".mha", PixelType::Float32},
                                           RoundTripCase{".mhd", PixelType::Int32}),
                         [](const auto& info) {
                             std::string ext = info.param.extension.substr(1);
                             for (auto& c : ext) {
                                 if (c == '.') c = '_';
                             }
                             return ext + "_" + std::string(pixelTypeName(info.param.type));
                         });

TEST(ImageIO, PngRoundTripKeepsGreyAndColour)
{
    TempDir dir;
    const Image grey16 = test::rampImage<std::uint16_t>({31, 17, 1}, {1, 1, 1}, {0, 0, 0}, kIdentity3);
    writeImage(grey16, dir / "grey16.png");
    const Image g = readImage(dir / "grey16.png");
    EXPECT_EQ(g.pixelType(), PixelType::UInt16);
    EXPECT_EQ(0, std::memcmp(g.data(), grey16.data(), g.byteCount()));

    Image rgb = test::rampImage<std::uint8_t>({20, 10, 1}, {1, 1, 1}, {0, 0, 0}, kIdentity3, 3);
    auto px = rgb.pixels<std::uint8_t>();
    px[0] = 255; px[1] = 0; px[2] = 10; // first pixel: red-ish, checks RGB (not BGR) order
    writeImage(rgb, dir / "rgb.png");
    const Image c = readImage(dir / "rgb.png");
    ASSERT_EQ(c.components(), 3);
    EXPECT_EQ(c.valueAt(0, 0, 0, 0), 255.0);
    EXPECT_EQ(c.valueAt(0, 0, 0, 2), 10.0);
    EXPECT_EQ(0, std::memcmp(c.data(), rgb.data(), c.byteCount()));
}

TEST(ImageIO, ReadsJpegTiffAndBmp)
{
    TempDir dir;
    const Image img = test::rampImage<std::uint8_t>({40, 30, 1}, {1, 1, 1}, {0, 0, 0}, kIdentity3);
    for (const char* ext : {".jpg", ".tif", ".bmp"}) {
        writeImage(img, dir / (std::string("a") + ext));
        const Image back = readImage(dir / (std::string("a") + ext));
        EXPECT_EQ(back.size(), img.size()) << ext;
        EXPECT_EQ(back.pixelType(), PixelType::UInt8) << ext;
    }
}

TEST(ImageIO, LabelMapRoundTripKeepsTable)
{
    TempDir dir;
    Image ref({8, 8, 4}, PixelType::UInt8);
    ref.setSpacing({0.5, 0.5, 1.5});
    LabelMap lm = LabelMap::like(ref, LabelTable({{1, "femur", {241, 214, 145, 255}}, {4, "femoral_cartilage", {0, 200, 0, 255}}}));
    lm.ids()[3] = 4;
    lm.ids()[9] = 1;
    writeLabelMap(lm, dir / "seg.nii.gz");
    const LabelMap back = readLabelMap(dir / "seg.nii.gz");
    EXPECT_EQ(back.voxelCounts(), lm.voxelCounts());
    ASSERT_EQ(back.table().size(), 2u);
    EXPECT_EQ(back.table().find(4)->name, "femoral_cartilage");
    EXPECT_EQ(back.table().find(1)->rgba[0], 241);
}

TEST(ImageIO, FormatFromPath)
{
    EXPECT_EQ(formatFromPath("a/b.NII.GZ"), ImageFormat::Nifti);
    EXPECT_EQ(formatFromPath("x.nhdr"), ImageFormat::Nrrd);
    EXPECT_EQ(formatFromPath("x.mhd"), ImageFormat::MetaImage);
    EXPECT_EQ(formatFromPath("x.jpeg"), ImageFormat::Jpeg);
    EXPECT_EQ(formatFromPath("x.txt"), ImageFormat::Unknown);
}
