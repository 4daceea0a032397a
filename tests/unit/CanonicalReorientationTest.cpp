// CanonicalReorientation: any axis order / flips into the model's frame and back exactly, oblique inputs by
// resampling, left-right mirroring, and the geometry checks.
#include "TestSupport.h"
#include "strata/CanonicalReorientation.h"
#include "strata/Error.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

using namespace strata;

namespace {

const AnatomicalFrame kPIR = AnatomicalFrame::fromLetters("PIR");

/// A small labelled volume in the PIR frame: a few blobs, asymmetric in every axis, plus a unique ramp so any
/// wrong permutation shows. Returns {intensity (uint16), labels (uint8)}.
std::pair<Image, Image> syntheticKnee(Size3 size = {20, 24, 14}, Vec3 spacing = {0.5, 0.6, 0.9})
{
    Image img(size, PixelType::UInt16), lab(size, PixelType::UInt8);
    for (Image* im : {&img, &lab}) {
        im->setSpacing(spacing);
        im->setOrigin({3.0, -7.5, 12.25});
        im->setDirection(kPIR.direction());
    }
    auto px = img.pixels<std::uint16_t>();
    auto lx = lab.pixels<std::uint8_t>();
    const Vec3 centres[3] = {{5, 6, 4}, {13, 15, 9}, {8, 18, 3}};
    const double radii[3] = {4.0, 5.5, 3.0};
    for (std::size_t k = 0; k < size[2]; ++k)
        for (std::size_t j = 0; j < size[1]; ++j)
            for (std::size_t i = 0; i < size[0]; ++i) {
                const std::size_t n = img.linearIndex(i, j, k);
                px[n] = static_cast<std::uint16_t>(n * 3 + 1);
                for (int b = 0; b < 3; ++b) {
                    const double d = std::hypot(static_cast<double>(i) - centres[b][0], static_cast<double>(j) - centres[b][1],
                                                static_cast<double>(k) - centres[b][2]);
                    if (d <= radii[b]) lx[n] = static_cast<std::uint8_t>(b + 1);
                }
            }
    return {img, lab};
}

bool sameBytes(const Image& a, const Image& b)
{
    return a.size() == b.size() && a.pixelType() == b.pixelType() && a.byteCount() == b.byteCount() &&
           std::memcmp(a.data(), b.data(), a.byteCount()) == 0;
}

void expectSameGeometry(const Image& a, const Image& b)
{
    EXPECT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_DOUBLE_EQ(a.spacing()[i], b.spacing()[i]);
        EXPECT_NEAR(a.origin()[i], b.origin()[i], 1e-9);
    }
    for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(a.direction()[i], b.direction()[i]);
}

std::map<int, double> dicePerLabel(const Image& a, const Image& b)
{
    std::map<int, std::array<double, 3>> c; // |a|, |b|, |a & b|
    const auto pa = a.pixels<std::uint8_t>(), pb = b.pixels<std::uint8_t>();
    for (std::size_t i = 0; i < pa.size(); ++i) {
        if (pa[i]) c[pa[i]][0] += 1;
        if (pb[i]) c[pb[i]][1] += 1;
        if (pa[i] && pa[i] == pb[i]) c[pa[i]][2] += 1;
    }
    std::map<int, double> d;
    for (const auto& [l, v] : c) d[l] = 2.0 * v[2] / (v[0] + v[1]);
    return d;
}

} // namespace

TEST(AnatomicalFrame, LettersAndDirections)
{
    EXPECT_EQ(kPIR.direction(), (Mat3{0, 0, -1, 1, 0, 0, 0, -1, 0})); // the phantoms' sagittal direction
    EXPECT_EQ(AnatomicalFrame::nearestTo(kIdentity3).letters(), "LPS");
    EXPECT_EQ(AnatomicalFrame::nearestTo(kPIR.direction()), kPIR);
    EXPECT_EQ(kPIR.leftRightAxis(), 2);
    EXPECT_THROW((void)AnatomicalFrame::fromLetters("PPR"), InvalidArgument);
    EXPECT_THROW((void)AnatomicalFrame::fromLetters("PIX"), InvalidArgument);
    EXPECT_THROW((void)AnatomicalFrame::fromLetters("PI"), InvalidArgument);
}

TEST(CanonicalReorientation, All48AxisOrdersAndFlipsRoundTripExactly)
{
    const auto [img, lab] = syntheticKnee();
    const CanonicalReorientation self(img, kPIR, {0.4, 0.4, 0.7}, false);
    ASSERT_TRUE(self.exact());
    const Image canonicalImage = self.toCanonical(img, Interpolation::Linear);
    ASSERT_TRUE(sameBytes(canonicalImage, img)); // already canonical: unchanged
    std::array<int, 3> perm{0, 1, 2};
    int cases = 0;
    do {
        for (int mask = 0; mask < 8; ++mask) {
            const std::array<bool, 3> flip{(mask & 1) != 0, (mask & 2) != 0, (mask & 4) != 0};
            SCOPED_TRACE("perm " + std::to_string(perm[0]) + std::to_string(perm[1]) + std::to_string(perm[2]) +
                         " flips " + std::to_string(mask));
            const Image pImg = test::storedAs(img, perm, flip), pLab = test::storedAs(lab, perm, flip);
            const CanonicalReorientation r(pImg, kPIR, {0.4, 0.4, 0.7}, false);
            ASSERT_TRUE(r.exact());
            EXPECT_DOUBLE_EQ(r.obliqueDegrees(), 0.0);
            // The canonical image of every stored order is the canonical image of the original, voxel for voxel.
            const Image c = r.toCanonical(pImg, Interpolation::Linear);
            EXPECT_TRUE(sameBytes(c, canonicalImage));
            expectSameGeometry(c, canonicalImage);
            // Labels there and back: the identity, bit for bit, with the stored geometry.
            const Image cl = r.toCanonical(pLab, Interpolation::Nearest);
            EXPECT_TRUE(sameBytes(cl, lab));
            const Image back = r.back(cl);
            EXPECT_TRUE(sameBytes(back, pLab));
            expectSameGeometry(back, pLab);
            ++cases;
        }
    } while (std::next_permutation(perm.begin(), perm.end()));
    EXPECT_EQ(cases, 48);
}

TEST(CanonicalReorientation, LabelsOnTheModelsSpacingGoBackThroughTheCanonicalGrid)
{
    const auto [img, lab] = syntheticKnee();
    const Image pLab = test::storedAs(lab, {2, 0, 1}, {true, false, true});
    const CanonicalReorientation r(pLab, kPIR, {0.4, 0.4, 0.7}, false);
    const Image onModelGrid = resampleToSpacing(r.toCanonical(pLab, Interpolation::Nearest), {0.25, 0.3, 0.45},
                                                Interpolation::Nearest); // 2x finer: nearest back is exact
    const Image back = r.back(onModelGrid);
    EXPECT_TRUE(sameBytes(back, pLab));
}

TEST(CanonicalReorientation, MirroredLeftCopyGivesTheRightCanonicalImage)
{
    const auto [img, lab] = syntheticKnee();
    // A left knee: the right one mirrored left-right in patient space (the R axis, k, reversed), then stored LPS-like.
    const Image left = test::storedAs(img, {0, 1, 2}, {false, false, true});
    Image leftAsRight = left;
    leftAsRight.copyGeometryFrom(img); // same world grid, mirrored content
    const Image leftStored = test::storedAs(leftAsRight, {2, 0, 1}, {true, true, false});
    const CanonicalReorientation r(leftStored, kPIR, {0.4, 0.4, 0.7}, true);
    ASSERT_TRUE(r.exact());
    EXPECT_TRUE(r.mirrored());
    const Image c = r.toCanonical(leftStored, Interpolation::Linear);
    EXPECT_TRUE(sameBytes(c, img));
    // Back: the mirror is undone too.
    Image labLeft = test::storedAs(lab, {0, 1, 2}, {false, false, true});
    labLeft.copyGeometryFrom(lab);
    const Image labStored = test::storedAs(labLeft, {2, 0, 1}, {true, true, false});
    EXPECT_TRUE(sameBytes(r.toCanonical(labStored, Interpolation::Nearest), lab));
    EXPECT_TRUE(sameBytes(r.back(lab), labStored));
    EXPECT_EQ(r.toJson()["mirrored_left_right"], true);
}

TEST(CanonicalReorientation, ObliqueTwentyDegreesRoundTripsAboveDice097)
{
    const auto [img, lab] = syntheticKnee({48, 52, 44}, {1.0, 1.0, 1.0});
    // Bigger blobs on a 1 mm grid, then the same world stored on a grid rotated 20 degrees about (1,1,1).
    Image big(lab.size(), PixelType::UInt8);
    big.copyGeometryFrom(lab);
    auto bx = big.pixels<std::uint8_t>();
    for (std::size_t k = 0; k < 44; ++k)
        for (std::size_t j = 0; j < 52; ++j)
            for (std::size_t i = 0; i < 48; ++i) {
                const double a = std::hypot(i - 16.0, j - 18.0, k - 15.0), b = std::hypot(i - 32.0, j - 34.0, k - 28.0);
                bx[big.linearIndex(i, j, k)] = a < 11 ? 1 : b < 9 ? 2 : (i > 20 && i < 28 && j > 8 && k > 30) ? 3 : 0;
            }
    const Mat3 rot = test::obliqueDirection(20.0 * 3.14159265358979 / 180.0);
    Mat3 dir{};
    const Mat3 base = big.direction();
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            for (int m = 0; m < 3; ++m) dir[r * 3 + c] += rot[r * 3 + m] * base[m * 3 + c];
    Image obliqueRef(big.size(), PixelType::UInt8);
    obliqueRef.setSpacing(big.spacing());
    obliqueRef.setDirection(dir);
    const Vec3 centre = big.indexToWorld({23.5, 25.5, 21.5});
    obliqueRef.setOrigin({0, 0, 0});
    const Vec3 off = obliqueRef.indexToWorld({23.5, 25.5, 21.5});
    obliqueRef.setOrigin({centre[0] - off[0], centre[1] - off[1], centre[2] - off[2]});
    const Image oblique = resampleLike(big, obliqueRef, Interpolation::Nearest);

    const CanonicalReorientation r(oblique, kPIR, {1.0, 1.0, 1.0}, false);
    EXPECT_FALSE(r.exact());
    EXPECT_GT(r.obliqueDegrees(), 10.0);
    EXPECT_EQ(r.toJson()["method"], "resampled");
    const Image canonical = r.toCanonical(oblique, Interpolation::Nearest);
    for (std::size_t i = 0; i < 9; ++i) EXPECT_EQ(canonical.direction()[i], kPIR.direction()[i]);
    const Image back = r.back(canonical);
    expectSameGeometry(back, oblique);
    for (const auto& [label, d] : dicePerLabel(back, oblique)) {
        EXPECT_GE(d, 0.97) << "label " << label;
    }
    // The intensity path gives a float image with the outside of the field of view at the given value.
    const Image ci = r.toCanonical(oblique.convertedTo(PixelType::UInt16), Interpolation::Linear, -5.0);
    EXPECT_EQ(ci.pixelType(), PixelType::Float32);
    EXPECT_EQ(ci.pixels<float>()[0], -5.0f); // a corner of the axis-aligned box lies outside the rotated grid
}

TEST(CanonicalReorientation, BadGeometryIsOneClearSentence)
{
    auto [img, lab] = syntheticKnee();
    EXPECT_NO_THROW(CanonicalReorientation::checkGeometry(img, "'knee.nii.gz'"));
    img.setDirection({1, 0.3, 0, 0, 1, 0, 0, 0, 1}); // sheared: invertible but not orthonormal
    try {
        CanonicalReorientation::checkGeometry(img, "'knee.nii.gz'");
        FAIL() << "accepted a sheared direction";
    } catch (const InvalidArgument& e) {
        EXPECT_NE(std::string(e.what()).find("'knee.nii.gz' has a direction matrix that is not orthonormal"),
                  std::string::npos)
            << e.what();
    }
    img.setDirection({2, 0, 0, 0, 1, 0, 0, 0, 1}); // not of unit length
    EXPECT_THROW(CanonicalReorientation::checkGeometry(img, "x"), InvalidArgument);
    Image flat({32, 32, 1}, PixelType::UInt8);
    EXPECT_THROW(CanonicalReorientation::checkGeometry(flat, "'photo.png'"), InvalidArgument);
    EXPECT_THROW(img.setSpacing({0.0, 1.0, 1.0}), InvalidArgument);
    EXPECT_THROW(img.setSpacing({std::nan(""), 1.0, 1.0}), InvalidArgument);
}
