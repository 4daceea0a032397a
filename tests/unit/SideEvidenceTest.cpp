// Issue 16, item 2: the side of a knee from its tibial plates as labelled (knee/SideEvidence.h), on label images
// whose figures are known exactly: two slabs seen from above as rectangles of known area and thickness.
#include "strata/knee/SideEvidence.h"
#include "strata/phantom/KneeLabels.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace strata;
using knee::SideEvidence;

namespace {

constexpr int kMedial = phantom::MedialTibialCartilage, kLateral = phantom::LateralTibialCartilage;

struct Slab {
    int id;
    std::size_t ap0, ap1, lr0, lr1, si0, si1; // [from, to) along posterior, inferior, right
};

/// A P, I, R label image (the knee model's frame; 0.5 x 1.0 x 0.4 mm) holding the slabs.
Image pirImage(std::initializer_list<Slab> slabs)
{
    Image image({60, 30, 80}, PixelType::UInt8);
    image.setSpacing({0.5, 1.0, 0.4});
    auto ids = image.pixels<std::uint8_t>();
    for (const Slab& s : slabs) {
        for (std::size_t k = s.lr0; k < s.lr1; ++k)
            for (std::size_t j = s.si0; j < s.si1; ++j)
                for (std::size_t i = s.ap0; i < s.ap1; ++i) ids[image.linearIndex(i, j, k)] = static_cast<std::uint8_t>(s.id);
    }
    return image;
}

/// The same labels stored L, P, S (index axes: left, posterior, superior).
Image asLps(const Image& pir)
{
    const Size3& s = pir.size();
    Image out({s[2], s[0], s[1]}, PixelType::UInt8);
    out.setSpacing({pir.spacing()[2], pir.spacing()[0], pir.spacing()[1]});
    for (std::size_t k = 0; k < s[2]; ++k)
        for (std::size_t j = 0; j < s[1]; ++j)
            for (std::size_t i = 0; i < s[0]; ++i)
                out.pixels<std::uint8_t>()[out.linearIndex(s[2] - 1 - k, i, s[1] - 1 - j)] =
                    pir.pixels<std::uint8_t>()[pir.linearIndex(i, j, k)];
    return out;
}

} // namespace

TEST(SideEvidence, LargerThinnerMedialPlateIsTheModelsSideAndSwappedLabelsTheOther)
{
    // "Medial": 40 x 30 voxels from above (0.5 x 0.4 mm: 240 mm2), 2 voxels thick (2 mm);
    // "lateral": 30 x 25 (150 mm2), 3 voxels thick (3 mm).
    const Image image = pirImage({{kMedial, 10, 50, 5, 35, 10, 12}, {kLateral, 15, 45, 50, 75, 10, 13}});
    const SideEvidence e(image, AnatomicalFrame::fromLetters("PIR"), kMedial, kLateral);
    EXPECT_NEAR(e.medialAreaMm2(), 240.0, 1e-9);
    EXPECT_NEAR(e.lateralAreaMm2(), 150.0, 1e-9);
    EXPECT_NEAR(e.medialThicknessMm(), 2.0, 1e-9);
    EXPECT_NEAR(e.lateralThicknessMm(), 3.0, 1e-9);
    EXPECT_NEAR(e.score(), std::log(240.0 / 150.0) + std::log(3.0 / 2.0), 1e-9);
    EXPECT_EQ(e.verdict(), SideEvidence::Verdict::ModelSide);
    EXPECT_EQ(e.toJson()["verdict"], "model_side");

    // A knee of the other side as the network labels it: the plate on the model's medial side is the lateral one.
    const SideEvidence swapped(image, AnatomicalFrame::fromLetters("PIR"), kLateral, kMedial);
    EXPECT_NEAR(swapped.score(), -e.score(), 1e-9);
    EXPECT_EQ(swapped.verdict(), SideEvidence::Verdict::OtherSide);
    EXPECT_NE(swapped.summary().find("0.62x the other's area"), std::string::npos) << swapped.summary();

    // The frame says which axis is superior-inferior: the same labels stored L, P, S give the same figures.
    const SideEvidence lps(asLps(image), AnatomicalFrame::fromLetters("LPS"), kMedial, kLateral);
    EXPECT_NEAR(lps.medialAreaMm2(), 240.0, 1e-9);
    EXPECT_NEAR(lps.lateralThicknessMm(), 3.0, 1e-9);
    EXPECT_NEAR(lps.score(), e.score(), 1e-9);
}

TEST(SideEvidence, AlikeOrMissingPlatesDecideNothing)
{
    // Same area, same thickness: evidence 0.
    const Image alike = pirImage({{kMedial, 10, 40, 5, 35, 10, 12}, {kLateral, 10, 40, 45, 75, 10, 12}});
    const SideEvidence e(alike, AnatomicalFrame::fromLetters("PIR"), kMedial, kLateral);
    EXPECT_NEAR(e.score(), 0.0, 1e-12);
    EXPECT_EQ(e.verdict(), SideEvidence::Verdict::Undecided);
    // Just under the threshold either way: undecided; a stricter threshold does not move a clear case.
    const Image slight = pirImage({{kMedial, 10, 42, 5, 35, 10, 12}, {kLateral, 10, 40, 45, 75, 10, 12}});
    EXPECT_EQ(SideEvidence(slight, AnatomicalFrame::fromLetters("PIR"), kMedial, kLateral).verdict(),
              SideEvidence::Verdict::Undecided); // ln(42/40) = 0.049
    EXPECT_EQ(SideEvidence(slight, AnatomicalFrame::fromLetters("PIR"), kMedial, kLateral, 0.04).verdict(),
              SideEvidence::Verdict::ModelSide);
    // One plate missing, or not looking like a plate: too small (2 x 2 voxels from above: 0.8 mm2, and 20 mm
    // thick), or a 0.4 mm film spread over the whole field of view (a network segmenting noise), even where the
    // figures would point one way.
    const Image one = pirImage({{kMedial, 10, 40, 5, 35, 10, 12}});
    EXPECT_EQ(SideEvidence(one, AnatomicalFrame::fromLetters("PIR"), kMedial, kLateral).verdict(),
              SideEvidence::Verdict::Undecided);
    const Image tiny = pirImage({{kMedial, 10, 40, 5, 35, 10, 12}, {kLateral, 10, 12, 45, 47, 10, 30}});
    const SideEvidence t(tiny, AnatomicalFrame::fromLetters("PIR"), kMedial, kLateral);
    EXPECT_EQ(t.verdict(), SideEvidence::Verdict::Undecided);
    EXPECT_FALSE(t.platesPlausible());
    EXPECT_NE(t.summary().find("do not look like tibial plates"), std::string::npos) << t.summary();
    Image film({200, 30, 200}, PixelType::UInt8);
    film.setSpacing({0.5, 1.0, 0.4});
    for (std::size_t k = 0; k < 200; ++k)
        for (std::size_t i = 0; i < 200; ++i) film.pixels<std::uint8_t>()[film.linearIndex(i, 10, k)] = k < 120 ? kMedial : kLateral;
    const SideEvidence f(film, AnatomicalFrame::fromLetters("PIR"), kMedial, kLateral); // 4800 vs 3200 mm2, 1 mm
    EXPECT_GT(f.score(), 0.15);
    EXPECT_EQ(f.verdict(), SideEvidence::Verdict::Undecided);
}
